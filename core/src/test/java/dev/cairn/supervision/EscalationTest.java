package dev.cairn.supervision;

import static dev.cairn.supervision.Kit.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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

/** Escalation: a supervisor past its intensity fails itself and its parent decides, at any depth. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EscalationTest {
  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  @Test
  @SuppressWarnings("unchecked")
  void failureEscalatesThroughAThreeLevelTreeToTheFirstSupervisorWithinItsIntensity() {
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    TestProbe<String> life = testKit.createTestProbe();
    SupervisorSpec low = SupervisorSpec.oneForAll("low").withIntensity(0, Duration.ofMinutes(1))
        .withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("a", () -> Kit.worker("a", life.ref())))
        .withChild(ChildSpec.worker("b", () -> Kit.worker("b", life.ref())));
    SupervisorSpec mid = SupervisorSpec.oneForOne("mid").withIntensity(0, Duration.ofMinutes(1))
        .withListener(events.ref()::tell).withChild(ChildSpec.supervisor("low", low));
    SupervisorSpec top = SupervisorSpec.oneForOne("top").withIntensity(5, Duration.ofMinutes(1))
        .withListener(events.ref()::tell).withChild(ChildSpec.supervisor("mid", mid));
    ActorRef<Supervisor.Command> topRef = testKit.spawn(Supervisor.create(top));
    assertEquals(Map.of("low", List.of("low/started:a", "low/started:b"), "mid", List.of("mid/started:low"), "top",
        List.of("top/started:mid")), Kit.bySupervisor(Kit.receiveCodes(events, 4)));
    assertEquals(List.of("start:a", "start:b"), Kit.receiveStrings(life, 2));

    topRef.tell(new Supervisor.TellChild("mid", new Supervisor.TellChild("low", new Supervisor.TellChild("a", new Kit.Fail("deep")))));

    // low gives up (stops b), mid gives up (its only child is gone), top restarts mid, which starts low, a, b again
    Map<String, List<String>> expected = Map.of(
        "low", List.of("low/failed:a", "low/intensity", "low/stopped:b", "low/escalated", "low/started:a", "low/started:b"),
        "mid", List.of("mid/failed:low", "mid/intensity", "mid/escalated", "mid/started:low"),
        "top", List.of("top/failed:mid", "top/restarted:mid"));
    assertEquals(expected, Kit.bySupervisor(Kit.receiveCodes(events, 12)));
    assertEquals(List.of("stop:a", "stop:b", "start:a", "start:b"), Kit.receiveStrings(life, 4));

    TestProbe<List<FailureRecord>> history = testKit.createTestProbe();
    topRef.tell(new Supervisor.GetFailureHistory(history.ref()));
    List<FailureRecord> records = history.expectMessageClass(List.class, WAIT);
    FailureRecord rec = records.get(0);
    assertEquals("mid", rec.childId());
    RestartIntensityExceededException midCause = assertInstanceOf(RestartIntensityExceededException.class, rec.cause());
    assertEquals("mid", midCause.supervisor());
    RestartIntensityExceededException lowCause = assertInstanceOf(RestartIntensityExceededException.class, midCause.getCause());
    assertEquals("low", lowCause.supervisor());
    assertInstanceOf(Kit.InjectedFailure.class, lowCause.getCause());
  }

  @Test
  @SuppressWarnings("unchecked")
  void aTopLevelSupervisorPastItsIntensityFailsWithRestartIntensityExceeded() {
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<ActorRef<Supervisor.Command>> refs = testKit.createTestProbe();
    TestProbe<Kit.Outcome> outcome = testKit.createTestProbe();
    SupervisorSpec spec = SupervisorSpec.oneForOne("alone").withIntensity(0, Duration.ofMinutes(1))
        .withListener(events.ref()::tell).withChild(ChildSpec.worker("a", () -> Kit.worker("a", life.ref())));
    testKit.spawn(Kit.watcher(Supervisor.create(spec), refs.ref(), outcome.ref()));
    ActorRef<Supervisor.Command> sup = refs.expectMessageClass(ActorRef.class, WAIT);
    Kit.expectCodes(events, "alone/started:a");
    sup.tell(new Supervisor.TellChild("a", new Kit.Fail("once")));
    Kit.expectCodes(events, "alone/failed:a", "alone/intensity", "alone/escalated");
    Kit.Outcome out = outcome.expectMessageClass(Kit.Outcome.class, WAIT);
    RestartIntensityExceededException e = assertInstanceOf(RestartIntensityExceededException.class, out.cause());
    assertTrue(e.getMessage().contains("'alone'"), e.getMessage());
  }
}
