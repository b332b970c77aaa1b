package dev.cairn.bench.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.SnapshotCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A typed event-sourced actor as the benchmark load: persists one event per command (so one
 * event per journal write, as real actors do), or batches with persistAll; the state is the
 * event count.
 */
final class BenchActor extends EventSourcedBehavior<BenchActor.Command, BenchEvent, Long> {
  interface Command {}

  /** Persist one event at a time until {@code stop} is set, counting acknowledged events. */
  record PersistUntilStopped(AtomicBoolean stop, LongAdder acked, LatencyHistogram latency, CompletableFuture<Long> done) implements Command {}

  /** Persist {@code batches} x {@code batchSize} events with persistAll. */
  record PersistBatches(int batches, int batchSize, CompletableFuture<Long> done) implements Command {}

  record Stop() implements Command {}

  private final ActorRef<Command> self;
  private final CompletableFuture<Long> recovered;
  private final CompletableFuture<Long> snapshotted;
  private final long snapshotAt;

  private BenchActor(ActorContext<Command> ctx, String pid, CompletableFuture<Long> recovered,
      CompletableFuture<Long> snapshotted, long snapshotAt) {
    super(PersistenceId.ofUniqueId(pid));
    this.self = ctx.getSelf();
    this.recovered = recovered;
    this.snapshotted = snapshotted;
    this.snapshotAt = snapshotAt;
  }

  static Behavior<Command> create(String pid, CompletableFuture<Long> recovered, CompletableFuture<Long> snapshotted, long snapshotAt) {
    return Behaviors.setup(ctx -> new BenchActor(ctx, pid, recovered, snapshotted, snapshotAt));
  }

  @Override
  public Long emptyState() {
    return 0L;
  }

  @Override
  public CommandHandler<Command, BenchEvent, Long> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(PersistUntilStopped.class, (s, c) -> {
          if (c.stop().get()) {
            c.done().complete(s);
            return Effect().none();
          }
          long t0 = System.nanoTime();
          return Effect().persist(new BenchEvent(s + 1)).thenRun(x -> {
            c.latency().record(System.nanoTime() - t0);
            c.acked().increment();
            self.tell(c);
          });
        })
        .onCommand(PersistBatches.class, (s, c) -> {
          if (c.batches() == 0) {
            c.done().complete(s);
            return Effect().none();
          }
          List<BenchEvent> events = new ArrayList<>(c.batchSize());
          for (int i = 1; i <= c.batchSize(); i++) events.add(new BenchEvent(s + i));
          return Effect().persist(events).thenRun(x -> self.tell(new PersistBatches(c.batches() - 1, c.batchSize(), c.done())));
        })
        .onCommand(Stop.class, (s, c) -> Effect().stop())
        .build();
  }

  @Override
  public EventHandler<Long, BenchEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((s, e) -> s + 1);
  }

  @Override
  public boolean shouldSnapshot(Long state, BenchEvent event, long sequenceNr) {
    return sequenceNr == snapshotAt;
  }

  @Override
  public SignalHandler<Long> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> recovered.complete(s))
        .onSignal(RecoveryFailed.class, (s, sig) -> recovered.completeExceptionally(sig.getFailure()))
        .onSignal(SnapshotCompleted.class, (s, sig) -> snapshotted.complete(sig.metadata().sequenceNr()))
        .build();
  }
}
