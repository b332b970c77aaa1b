package dev.cairn.examples.demo;

import dev.cairn.persistence.PolicyEvent;
import dev.cairn.supervision.SupervisionEvent;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The demo's counters: what it did (transfers, injected faults) and what Cairn did about it, as
 * seen on the actor system's event stream ({@link SupervisionEvent}s and {@link PolicyEvent}s).
 * Thread-safe; read by the status line.
 */
public final class Metrics {
  final LongAdder transfers = new LongAdder();
  final LongAdder refused = new LongAdder();
  final LongAdder crashes = new LongAdder();
  final LongAdder tellerCrashes = new LongAdder();
  final LongAdder stalls = new LongAdder();
  final LongAdder corruptions = new LongAdder();
  final LongAdder poisons = new LongAdder();
  final LongAdder failuresSeen = new LongAdder();
  final LongAdder restarts = new LongAdder();
  final LongAdder hangs = new LongAdder();
  final LongAdder escalations = new LongAdder();
  final LongAdder rollbacks = new LongAdder();
  final LongAdder recoveries = new LongAdder();
  final LongAdder checkpoints = new LongAdder();
  final LongAdder checkpointsFailed = new LongAdder();
  final LongAdder quarantined = new LongAdder();

  void transferCompleted() {
    transfers.increment();
  }

  void transferRefused() {
    refused.increment();
  }

  /** A point-in-time copy of every counter. */
  public Snapshot snapshot() {
    return new Snapshot(transfers.sum(), refused.sum(), crashes.sum(), tellerCrashes.sum(), stalls.sum(),
        corruptions.sum(), poisons.sum(), failuresSeen.sum(), restarts.sum(), hangs.sum(), escalations.sum(),
        rollbacks.sum(), recoveries.sum(), checkpoints.sum(), checkpointsFailed.sum(), quarantined.sum());
  }

  /** The counters at one moment. */
  public record Snapshot(long transfers, long refused, long crashes, long tellerCrashes, long stalls, long corruptions,
      long poisons, long failuresSeen, long restarts, long hangs, long escalations, long rollbacks, long recoveries,
      long checkpoints, long checkpointsFailed, long quarantined) {

    /** Every fault the injector caused. */
    public long failuresInjected() {
      return crashes + tellerCrashes + stalls + corruptions + poisons;
    }
  }

  /** An actor that counts the supervision and policy events published on the event stream. */
  Behavior<Object> monitor() {
    return Behaviors.setup(ctx -> {
      ActorRef<Object> self = ctx.getSelf();
      ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(SupervisionEvent.class, self.narrow()));
      ctx.getSystem().eventStream().tell(new EventStream.Subscribe<>(PolicyEvent.class, self.narrow()));
      return Behaviors.receiveMessage(msg -> {
        count(msg);
        return Behaviors.same();
      });
    });
  }

  void count(Object e) {
    if (e instanceof SupervisionEvent.ChildRestarted) restarts.increment();
    else if (e instanceof SupervisionEvent.ChildFailed) failuresSeen.increment();
    else if (e instanceof SupervisionEvent.ChildHung) hangs.increment();
    else if (e instanceof SupervisionEvent.Escalated) escalations.increment();
    else if (e instanceof PolicyEvent.RolledBack) rollbacks.increment();
    else if (e instanceof PolicyEvent.Recovered) recoveries.increment();
    else if (e instanceof PolicyEvent.CheckpointTaken) checkpoints.increment();
    else if (e instanceof PolicyEvent.CheckpointFailed) checkpointsFailed.increment();
    else if (e instanceof PolicyEvent.EventQuarantined) quarantined.increment();
  }
}
