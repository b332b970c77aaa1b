package dev.cairn.persistence.internal;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.DeleteMessagesFailure;
import org.apache.pekko.persistence.DeleteSnapshotsFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: receives the replies to retention deletions (checkpoints and covered events).
 *
 * <p>They must not go to the actor itself: a reply that arrives while Pekko's
 * {@code EventSourcedBehavior} waits for a recovery permit is stashed, and when it is unstashed
 * after recovery it ends the unstashing of the commands stashed behind it (they then wait for
 * the next message). One small system actor per actor system takes them instead and logs failures.
 */
final class DeletionAcks {

  private static final Logger log = LoggerFactory.getLogger(DeletionAcks.class);
  private static final Map<ActorSystem<?>, org.apache.pekko.actor.ActorRef> refs = new ConcurrentHashMap<>();

  private DeletionAcks() {}

  static org.apache.pekko.actor.ActorRef of(ActorSystem<?> system) {
    return refs.computeIfAbsent(system, s -> {
      s.getWhenTerminated().thenRun(() -> refs.remove(s));
      return Adapter.toClassic(s.systemActorOf(Behaviors.receiveMessage(msg -> {
        if (msg instanceof DeleteSnapshotsFailure f)
          log.warn("Deleting old checkpoints ({}) failed: {}", f.criteria(), f.cause().toString());
        else if (msg instanceof DeleteMessagesFailure f)
          log.warn("Deleting events up to sequence number {} failed: {}", f.toSequenceNr(), f.cause().toString());
        return Behaviors.same();
      }), "cairn-deletion-acks-" + UUID.randomUUID(), Props.empty()));
    });
  }
}
