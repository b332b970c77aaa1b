package dev.cairn.persistence;

import dev.cairn.supervision.ChildSpec;
import dev.cairn.supervision.Supervisor;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;

/**
 * Cairn event-sourced actors as children of a Cairn {@link Supervisor}. A restart of such a child
 * (whatever the restart strategy: under {@code ONE_FOR_ALL} every sibling restarts) is a redo.
 *
 * <pre>{@code
 * SupervisorSpec.oneForAll("accounts")
 *     .withChild(PersistentChildren.childSpec("a1", account("a1")))
 *     .withChild(PersistentChildren.childSpec("a2", account("a2")));
 * PersistentChildren.checkpointAll(supervisor);
 * }</pre>
 */
public final class PersistentChildren {

  /** The tag {@link #childSpec} puts on persistent children, so a supervisor can reach all of them. */
  public static final String TAG = "cairn.persistent";

  private PersistentChildren() {}

  /** A worker child spec for {@code actor}, tagged {@link #TAG}; each start and restart runs redo. */
  public static <C> ChildSpec<C> childSpec(String childId, EventSourcedActor<C, ?, ?> actor) {
    Objects.requireNonNull(actor, "'actor' must not be null");
    return ChildSpec.<C>worker(childId, actor::behavior).withTags(TAG);
  }

  /** Asks every persistent child of {@code supervisor} to checkpoint if it changed since its last checkpoint. */
  public static void checkpointAll(ActorRef<Supervisor.Command> supervisor) {
    supervisor.tell(new Supervisor.TellTaggedChildren(TAG, PolicyCommand.TakeCheckpoint.now()));
  }

  /**
   * Asks every persistent child to checkpoint and completes with each child's checkpoint, by child id
   * (in start order). Completes exceptionally with {@link CheckpointFailedException} (naming every
   * failed child, its persistence id, sequence number and cause) when the snapshot store failed the
   * save for any child, or with a timeout when a child does not reply within {@code timeout}.
   */
  public static CompletionStage<Map<String, PolicyEvent.CheckpointTaken>> checkpointAllAndWait(
      ActorRef<Supervisor.Command> supervisor, Duration timeout, Scheduler scheduler) {
    return Supervisor.askChildren(supervisor, info -> info.tags().contains(TAG),
            (ActorRef<PolicyEvent.CheckpointOutcome> replyTo) -> PolicyCommand.TakeCheckpoint.replyTo(replyTo),
            timeout, scheduler)
        .thenApply(PersistentChildren::takenOrFail);
  }

  private static Map<String, PolicyEvent.CheckpointTaken> takenOrFail(Map<String, PolicyEvent.CheckpointOutcome> replies) {
    Map<String, PolicyEvent.CheckpointTaken> taken = new LinkedHashMap<>();
    Map<String, PolicyEvent.CheckpointFailed> failed = new LinkedHashMap<>();
    replies.forEach((child, outcome) -> {
      if (outcome instanceof PolicyEvent.CheckpointTaken t) taken.put(child, t);
      else failed.put(child, (PolicyEvent.CheckpointFailed) outcome);
    });
    if (!failed.isEmpty()) throw new CheckpointFailedException(failed, taken);
    return Collections.unmodifiableMap(taken);
  }

  /** Asks the child {@code childId} to checkpoint. */
  public static void checkpoint(ActorRef<Supervisor.Command> supervisor, String childId) {
    supervisor.tell(new Supervisor.TellChild(childId, PolicyCommand.TakeCheckpoint.now()));
  }

  /** Rolls the child {@code childId} back to {@code target}; the result goes to {@code replyTo}. */
  public static void rollBack(ActorRef<Supervisor.Command> supervisor, String childId, RollbackTarget target,
      String reason, ActorRef<PolicyCommand.RollbackResult> replyTo) {
    supervisor.tell(new Supervisor.TellChild(childId, PolicyCommand.RollBack.to(target, reason, replyTo)));
  }
}
