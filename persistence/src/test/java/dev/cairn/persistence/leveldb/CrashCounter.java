package dev.cairn.persistence.leveldb;

import dev.cairn.persistence.CairnSerializable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Test actor for {@link ProcessCrashTest}: persists {@link Step} events whose content is a
 * function of the persistence id and the sequence number, so that every recovered event can
 * be checked, not only counted. The state ({@link Tally}) counts the events applied and records
 * every event that is not the expected next one.
 *
 * <p>In driving mode (the {@link CrashWriter} child process) it persists continuously after its
 * recovery: mostly one event per command, every few commands two or three events in one atomic
 * {@code persist(List)}; after each persist is acknowledged by the journal it prints
 * {@code ACK <persistenceId> <sequenceNr>} (the last sequence number of the write) and flushes.
 */
final class CrashCounter extends EventSourcedBehavior<CrashCounter.Command, CrashCounter.Step, CrashCounter.Tally> {
  interface Command {}

  /** Driving mode: persist the next event(s), acknowledge, send the next Tick to self. */
  enum Tick implements Command { INSTANCE }

  record Get(ActorRef<Tally> replyTo) implements Command {}

  /** Persists exactly one event and replies with its sequence number (the new count). */
  record PersistOne(ActorRef<Long> replyTo) implements Command {}

  record Step(long seq, long value, String note) implements CairnSerializable {}

  /**
   * {@code count} events applied; {@code badEvents} of them were not the expected next event
   * (wrong sequence number or content), the first of them described in {@code firstBad}.
   */
  record Tally(long count, long sum, long badEvents, String firstBad) implements CairnSerializable {}

  /** What the recovery reported to the monitor. */
  record Recovered(String persistenceId, Tally tally) {}

  record Failed(String persistenceId, Throwable cause) {}

  private final String pid;
  private final ActorRef<Object> monitor; // null in the child
  private final ActorRef<Command> self;
  private final boolean drive;
  private final int snapshotEvery;
  private final PrintStream acks; // null unless driving

  private CrashCounter(String pid, ActorRef<Object> monitor, ActorRef<Command> self, boolean drive, int snapshotEvery, PrintStream acks) {
    super(PersistenceId.ofUniqueId(pid));
    this.pid = pid;
    this.monitor = monitor;
    this.self = self;
    this.drive = drive;
    this.snapshotEvery = snapshotEvery;
    this.acks = acks;
  }

  /** Persists continuously from its recovery on, printing an ACK line to {@code acks} after each confirmed write. */
  static Behavior<Command> driving(String pid, int snapshotEvery, PrintStream acks) {
    return Behaviors.setup(ctx -> new CrashCounter(pid, null, ctx.getSelf(), true, snapshotEvery, acks));
  }

  /** Persists only on {@link PersistOne}; reports its recovery to {@code monitor}. */
  static Behavior<Command> passive(String pid, int snapshotEvery, ActorRef<Object> monitor) {
    return Behaviors.setup(ctx -> new CrashCounter(pid, monitor, ctx.getSelf(), false, snapshotEvery, null));
  }

  static long expectedValue(String pid, long seq) {
    return pid.hashCode() * 1_000_003L + seq * seq;
  }

  static Step expectedStep(String pid, long seq) {
    return new Step(seq, expectedValue(pid, seq), pid + "#" + seq);
  }

  /** How many events the write after {@code count} events persists: 1, or 2-3 in one atomic write. */
  static int batchSize(long count) {
    long m = count % 7;
    return m == 3 ? 3 : m == 5 ? 2 : 1;
  }

  /** Whether {@code count} events end a write (true) or lie inside an atomic write of several events. */
  static boolean isWriteBoundary(long count) {
    long c = 0;
    while (c < count) c += batchSize(c);
    return c == count;
  }

  @Override
  public Tally emptyState() {
    return new Tally(0, 0, 0, null);
  }

  @Override
  public CommandHandler<Command, Step, Tally> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Tick.class, (s, c) -> onTick(s))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s))
        .onCommand(PersistOne.class, (s, c) -> Effect().persist(expectedStep(pid, s.count() + 1)).thenReply(c.replyTo(), Tally::count))
        .build();
  }

  private Effect<Step, Tally> onTick(Tally s) {
    int n = batchSize(s.count());
    List<Step> steps = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) steps.add(expectedStep(pid, s.count() + i));
    return Effect().persist(steps).thenRun(after -> {
      synchronized (acks) {
        acks.println("ACK " + pid + " " + after.count());
        acks.flush();
      }
      self.tell(Tick.INSTANCE);
    });
  }

  @Override
  public EventHandler<Tally, Step> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((s, e) -> {
      long seq = s.count() + 1;
      boolean ok = e.equals(expectedStep(pid, seq));
      String firstBad = s.firstBad() != null || ok ? s.firstBad() : "event " + seq + " of " + pid + " is " + e + ", expected " + expectedStep(pid, seq);
      return new Tally(seq, s.sum() + e.value(), s.badEvents() + (ok ? 0 : 1), firstBad);
    });
  }

  @Override
  public boolean shouldSnapshot(Tally state, Step event, long sequenceNr) {
    return snapshotEvery > 0 && sequenceNr % snapshotEvery == 0;
  }

  @Override
  public SignalHandler<Tally> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          if (monitor != null) monitor.tell(new Recovered(pid, s));
          if (drive) self.tell(Tick.INSTANCE);
        })
        .onSignal(RecoveryFailed.class, (s, sig) -> {
          if (monitor != null) monitor.tell(new Failed(pid, sig.getFailure()));
          if (acks != null) {
            synchronized (acks) {
              acks.println("RECOVERY-FAILED " + pid + " " + sig.getFailure());
              acks.flush();
            }
          }
        })
        .build();
  }
}
