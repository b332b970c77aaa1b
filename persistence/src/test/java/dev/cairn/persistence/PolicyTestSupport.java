package dev.cairn.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;

/** Shared set-up: Pekko's persistence testkit journal and snapshot store (both serialize). */
final class PolicyTestSupport {

  private PolicyTestSupport() {}

  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final AtomicInteger ids = new AtomicInteger();

  static Config testkitConfig() {
    return ConfigFactory.parseString("pekko.persistence.testkit.events.serialize = on\n"
            + "pekko.persistence.testkit.snapshots.serialize = on\n"
            + "pekko.loglevel = DEBUG\n")
        .withFallback(slowMachine())
        .withFallback(PersistenceTestKitPlugin.getInstance().config())
        .withFallback(PersistenceTestKitSnapshotPlugin.getInstance().config())
        .withFallback(ConfigFactory.load());
  }

  /** Pekko's in-memory journal (stores write timestamps) with the testkit snapshot store. */
  static Config inmemConfig() {
    return ConfigFactory.parseString("pekko.persistence.journal.plugin = \"pekko.persistence.journal.inmem\"\n"
            + "pekko.persistence.journal.inmem.test-serialization = on\n"
            + "pekko.loglevel = DEBUG\n")
        .withFallback(slowMachine())
        .withFallback(PersistenceTestKitSnapshotPlugin.getInstance().config())
        .withFallback(ConfigFactory.load());
  }

  /**
   * Testkit waits sized for a loaded 2-core CI machine: {@code LoggingTestKit} (filter-leeway, 3 s by default) and
   * {@code kit.stop(ref)} (default-timeout, 5 s) otherwise fail a correct test when the machine stalls.
   */
  static Config slowMachine() {
    return ConfigFactory.parseString("pekko.actor.testkit.typed.filter-leeway = 10s\n"
        + "pekko.actor.testkit.typed.default-timeout = 10s\n");
  }

  static String uniqueId(String prefix) {
    return prefix + "-" + ids.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  static RedoPolicy fastRedo() {
    return RedoPolicy.defaults().withRestartBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
        .withRestartLimit(3, Duration.ofMinutes(1));
  }

  /** A probe that receives every {@link PolicyEvent} published in the system. */
  static TestProbe<PolicyEvent> policyEvents(ActorTestKit kit) {
    TestProbe<PolicyEvent> probe = kit.createTestProbe();
    kit.system().eventStream().tell(new EventStream.Subscribe<>(PolicyEvent.class, probe.ref()));
    return probe;
  }

  /** Waits for the next event of {@code type} for {@code pid}, skipping others. */
  static <T extends PolicyEvent> T expectEvent(TestProbe<PolicyEvent> probe, Class<T> type, String pid) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      PolicyEvent e = probe.receiveMessage(TIMEOUT);
      if (type.isInstance(e) && e.persistenceId().equals(pid)) return type.cast(e);
    }
    throw new AssertionError("no " + type.getSimpleName() + " for " + pid);
  }

  /**
   * Expects redo to report checkpoint {@code unreadable} unreadable and then to recover from
   * checkpoint {@code used}; returns that recovery's event.
   */
  static PolicyEvent.Recovered expectFallbackRecovery(TestProbe<PolicyEvent> probe, String pid, long unreadable, long used) {
    org.junit.jupiter.api.Assertions.assertEquals(unreadable, expectEvent(probe, PolicyEvent.CheckpointFallback.class, pid).unreadableSequenceNr());
    PolicyEvent.Recovered rec = expectEvent(probe, PolicyEvent.Recovered.class, pid);
    while (rec.fallbacks() == 0) rec = expectEvent(probe, PolicyEvent.Recovered.class, pid);
    org.junit.jupiter.api.Assertions.assertEquals(java.util.Optional.of(used), rec.checkpointUsed());
    return rec;
  }

  static long get(ActorTestKit kit, ActorRef<Counter.Cmd> ref) {
    TestProbe<Long> p = kit.createTestProbe();
    ref.tell(new Counter.Get(p.ref()));
    return p.receiveMessage(TIMEOUT);
  }

  static long add(ActorTestKit kit, ActorRef<Counter.Cmd> ref, int amount) {
    TestProbe<Long> p = kit.createTestProbe();
    ref.tell(new Counter.Add(amount, p.ref()));
    return p.receiveMessage(TIMEOUT);
  }

  static long addAll(ActorTestKit kit, ActorRef<Counter.Cmd> ref, List<Integer> amounts) {
    TestProbe<Long> p = kit.createTestProbe();
    ref.tell(new Counter.AddAll(amounts, p.ref()));
    return p.receiveMessage(TIMEOUT);
  }

  static ActorRef<Counter.Cmd> spawn(ActorTestKit kit, Behavior<Counter.Cmd> b) {
    return kit.spawn(b);
  }

  /** Asks for a checkpoint and expects it to be stored. */
  static PolicyEvent.CheckpointTaken checkpoint(ActorTestKit kit, ActorRef<Counter.Cmd> ref) {
    return org.junit.jupiter.api.Assertions.assertInstanceOf(PolicyEvent.CheckpointTaken.class, checkpointOutcome(kit, ref));
  }

  /** Asks for a checkpoint and returns the reply, whether it was stored or failed. */
  static PolicyEvent.CheckpointOutcome checkpointOutcome(ActorTestKit kit, ActorRef<Counter.Cmd> ref) {
    TestProbe<PolicyEvent.CheckpointOutcome> p = kit.createTestProbe();
    EventSourcedActor.control(ref).tell(PolicyCommand.TakeCheckpoint.replyTo(p.ref()));
    return p.receiveMessage(TIMEOUT);
  }

  static PolicyCommand.RollbackResult rollback(ActorTestKit kit, ActorRef<Counter.Cmd> ref, RollbackTarget target) {
    TestProbe<PolicyCommand.RollbackResult> p = kit.createTestProbe();
    EventSourcedActor.control(ref).tell(PolicyCommand.RollBack.to(target, "test", p.ref()));
    return p.receiveMessage(TIMEOUT);
  }

  /** Retries {@code r} until it passes or {@link #TIMEOUT} runs out (for effects that complete asynchronously). */
  static void awaitAssert(Runnable r) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      try {
        r.run();
        return;
      } catch (AssertionError e) {
        if (System.nanoTime() > deadline) throw e;
        Thread.sleep(20);
      }
    }
  }
}
