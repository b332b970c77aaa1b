package dev.cairn.persistence;

import java.util.Objects;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Commands every Cairn event-sourced actor understands besides its own. Send them with
 * {@link EventSourcedActor#control(ActorRef)} or, from a supervisor, as plain messages to the
 * child.
 */
public sealed interface PolicyCommand {

  /**
   * Take a checkpoint now. Without a reply it is skipped when nothing changed since the last one;
   * with a reply it is always taken and the reply is {@link PolicyEvent.CheckpointTaken} when the
   * snapshot store saved it or {@link PolicyEvent.CheckpointFailed} when the save failed, or when
   * the actor failed, restarted or stopped before the save was confirmed.
   */
  record TakeCheckpoint(Optional<ActorRef<PolicyEvent.CheckpointOutcome>> replyTo) implements PolicyCommand {
    public TakeCheckpoint {
      Objects.requireNonNull(replyTo, "'replyTo' must not be null");
    }

    /** Without a reply (e.g. from a supervisor). */
    public static TakeCheckpoint now() {
      return new TakeCheckpoint(Optional.empty());
    }

    /** With a reply: {@link PolicyEvent.CheckpointTaken} or {@link PolicyEvent.CheckpointFailed}. */
    public static TakeCheckpoint replyTo(ActorRef<PolicyEvent.CheckpointOutcome> replyTo) {
      return new TakeCheckpoint(Optional.of(replyTo));
    }
  }

  /** Roll back to {@code target}; the reply says whether it was done or refused. */
  record RollBack(RollbackTarget target, String reason, Optional<ActorRef<RollbackResult>> replyTo)
      implements PolicyCommand {
    public RollBack {
      Objects.requireNonNull(target, "'target' must not be null");
      Objects.requireNonNull(reason, "'reason' must not be null");
      Objects.requireNonNull(replyTo, "'replyTo' must not be null");
    }

    public static RollBack to(RollbackTarget target, String reason) {
      return new RollBack(target, reason, Optional.empty());
    }

    public static RollBack to(RollbackTarget target, String reason, ActorRef<RollbackResult> replyTo) {
      return new RollBack(target, reason, Optional.of(replyTo));
    }
  }

  /** Reply to {@link RollBack}. */
  sealed interface RollbackResult {}

  /** The rollback was done; see the event for from, to and events undone. */
  record RollbackDone(PolicyEvent.RolledBack event) implements RollbackResult {}

  /** The rollback was refused and nothing changed. */
  record RollbackRefused(RollbackRefusedException error) implements RollbackResult {}
}
