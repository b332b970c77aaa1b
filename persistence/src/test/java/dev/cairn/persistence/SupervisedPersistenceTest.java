package dev.cairn.persistence;

import static dev.cairn.persistence.PolicyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.cairn.supervision.Supervisor;
import dev.cairn.supervision.SupervisorSpec;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Event-sourced actors as children of Cairn supervisors: restart = redo, supervisor-driven checkpoints. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SupervisedPersistenceTest {

  @JUnit5TestKit
  public ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(testkitConfig()).build();

  private long ask(ActorRef<Supervisor.Command> sup, String child, java.util.function.Function<ActorRef<Long>, Object> msg)
      throws Exception {
    return Supervisor.<Long>askChild(sup, child, msg, TIMEOUT, kit.system().scheduler())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static long recoveries(TestProbe<PolicyEvent> events, String pid, int expected) {
    int seen = 0;
    PolicyEvent.Recovered last = null;
    while (seen < expected) {
      last = expectEvent(events, PolicyEvent.Recovered.class, pid);
      seen++;
    }
    return last.sequenceNr();
  }

  /** Collects events of {@code type} until each of {@code pids} has {@code count} of them; returns the last per pid. */
  private static <T extends PolicyEvent> Map<String, T> collect(TestProbe<PolicyEvent> events, Class<T> type, int count,
      String... pids) {
    Map<String, Integer> seen = new java.util.HashMap<>();
    Map<String, T> last = new java.util.HashMap<>();
    java.util.Set<String> wanted = java.util.Set.of(pids);
    while (wanted.stream().anyMatch(p -> seen.getOrDefault(p, 0) < count)) {
      PolicyEvent e = events.receiveMessage(TIMEOUT);
      if (type.isInstance(e) && wanted.contains(e.persistenceId())) {
        seen.merge(e.persistenceId(), 1, Integer::sum);
        last.put(e.persistenceId(), type.cast(e));
      }
    }
    return last;
  }

  @Test
  void aRestartByACairnSupervisorIsARedo() throws Exception {
    String id = uniqueId("supervised");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    SupervisorSpec spec = SupervisorSpec.oneForOne("accounts-" + id).withIntensity(3, Duration.ofMinutes(1))
        .withChild(PersistentChildren.childSpec("a", Counter.actor(id)));
    ActorRef<Supervisor.Command> sup = kit.spawn(Supervisor.create(spec));
    assertEquals(0, recoveries(events, id, 1));
    assertEquals(5, ask(sup, "a", r -> new Counter.Add(5, r)));
    sup.tell(new Supervisor.TellChild("a", new Counter.Crash("supervised")));
    assertEquals(1, recoveries(events, id, 1));
    assertEquals(5, ask(sup, "a", Counter.Get::new));
  }

  @Test
  void underOneForAllEverySiblingRedoes() throws Exception {
    String a = uniqueId("one-for-all-a");
    String b = uniqueId("one-for-all-b");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    // #supervised
    SupervisorSpec spec = SupervisorSpec.oneForAll("group-" + a).withIntensity(3, Duration.ofMinutes(1))
        .withChild(PersistentChildren.childSpec("a", Counter.actor(a)))
        .withChild(PersistentChildren.childSpec("b", Counter.actor(b)));
    ActorRef<Supervisor.Command> sup = kit.spawn(Supervisor.create(spec));
    // #supervised
    assertEquals(3, ask(sup, "a", r -> new Counter.Add(3, r)));
    assertEquals(4, ask(sup, "b", r -> new Counter.Add(4, r)));
    sup.tell(new Supervisor.TellChild("a", new Counter.Crash("group")));
    // b did not fail, yet it restarts with its group and comes back through redo
    Map<String, PolicyEvent.Recovered> second = collect(events, PolicyEvent.Recovered.class, 2, a, b);
    assertEquals(1, second.get(a).sequenceNr());
    assertEquals(1, second.get(b).sequenceNr());
    assertEquals(1, second.get(b).eventsReplayed());
    assertEquals(3, ask(sup, "a", Counter.Get::new));
    assertEquals(4, ask(sup, "b", Counter.Get::new));
  }

  @Test
  void aSupervisorAsksItsPersistentChildrenToCheckpoint() throws Exception {
    String a = uniqueId("checkpoint-all-a");
    String b = uniqueId("checkpoint-all-b");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    SupervisorSpec spec = SupervisorSpec.oneForOne("cp-" + a)
        .withChild(PersistentChildren.childSpec("a", Counter.actor(a)))
        .withChild(PersistentChildren.childSpec("b", Counter.actor(b)));
    ActorRef<Supervisor.Command> sup = kit.spawn(Supervisor.create(spec));
    ask(sup, "a", r -> new Counter.Add(1, r));
    ask(sup, "b", r -> new Counter.Add(2, r));
    // #checkpoint-all
    PersistentChildren.checkpointAll(sup);
    // #checkpoint-all
    Map<String, PolicyEvent.CheckpointTaken> first = collect(events, PolicyEvent.CheckpointTaken.class, 1, a, b);
    assertEquals(2, first.get(a).sequenceNr());
    assertEquals(2, first.get(b).sequenceNr());
    Map<String, PolicyEvent.CheckpointTaken> taken = PersistentChildren
        .checkpointAllAndWait(sup, TIMEOUT, kit.system().scheduler()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(3, taken.get("a").sequenceNr());
    assertEquals(3, taken.get("b").sequenceNr());
  }

  @Test
  void aSupervisorRollsAChildBack() throws Exception {
    String id = uniqueId("supervisor-rollback");
    SupervisorSpec spec = SupervisorSpec.oneForOne("rb-" + id).withChild(PersistentChildren.childSpec("a", Counter.actor(id)));
    ActorRef<Supervisor.Command> sup = kit.spawn(Supervisor.create(spec));
    ask(sup, "a", r -> new Counter.Add(1, r));
    ask(sup, "a", r -> new Counter.Add(10, r));
    TestProbe<PolicyCommand.RollbackResult> result = kit.createTestProbe();
    PersistentChildren.rollBack(sup, "a", RollbackTarget.sequenceNr(1), "operator", result.ref());
    assertInstanceOf(PolicyCommand.RollbackDone.class, result.receiveMessage(TIMEOUT));
    assertEquals(1, ask(sup, "a", Counter.Get::new));
  }

  @Test
  void aChildThatCannotRecoverIsBoundedByTheSupervisorsIntensity() throws Exception {
    String id = uniqueId("supervised-poison");
    ActorRef<Counter.Cmd> plain = kit.spawn(Counter.actor(id).behavior());
    add(kit, plain, 1);
    add(kit, plain, 9301);
    kit.stop(plain);
    Counter.UNREADABLE_AMOUNTS.add(9301);
    try {
      int before = Counter.UNREADABLE_READS.get();
      TestProbe<dev.cairn.supervision.SupervisionEvent> supervision = kit.createTestProbe();
      var child = Counter.actor(id).withRedoPolicy(RedoPolicy.defaults().withRestartLimit(0, Duration.ofMinutes(1)));
      SupervisorSpec spec = SupervisorSpec.oneForOne("poisoned-" + id).withIntensity(2, Duration.ofMinutes(1))
          .withChild(PersistentChildren.childSpec("a", child))
          .withListener(supervision.ref()::tell);
      ActorRef<Supervisor.Command> sup = kit.spawn(Supervisor.create(spec));
      supervision.fishForMessage(TIMEOUT, e -> e instanceof dev.cairn.supervision.SupervisionEvent.IntensityExceeded
          ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
          : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
      // the first start and two restarts each read the poison event once, then the supervisor gave up
      assertEquals(3, Counter.UNREADABLE_READS.get() - before);
      kit.createTestProbe().expectTerminated(sup, TIMEOUT);
    } finally {
      Counter.UNREADABLE_AMOUNTS.remove(9301);
    }
  }
}
