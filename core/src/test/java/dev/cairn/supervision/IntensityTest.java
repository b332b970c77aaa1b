package dev.cairn.supervision;

import static dev.cairn.supervision.Kit.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Restart intensity, timed by an injected clock: N restarts within the period are fine, N+1 escalate. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IntensityTest {
  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private SupervisorSpec spec(String name, RestartStrategy strategy, Kit.MutableClock clock, TestProbe<SupervisionEvent> events,
      TestProbe<String> life) {
    return SupervisorSpec.of(name, strategy).withIntensity(3, Duration.ofSeconds(10)).withClock(clock)
        .withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("a", () -> Kit.worker("a", life.ref())))
        .withChild(ChildSpec.worker("b", () -> Kit.worker("b", life.ref())));
  }

  @ParameterizedTest
  @EnumSource(RestartStrategy.class)
  void nRestartsWithinThePeriodAreAllowedAndOneMoreEscalates(RestartStrategy strategy) {
    String name = "intensity-" + strategy;
    Kit.MutableClock clock = new Kit.MutableClock();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    TestProbe<String> life = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(spec(name, strategy, clock, events, life)));
    Kit.expectCodes(events, name + "/started:a", name + "/started:b");
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofSeconds(3)); // all three within 10 s
      sup.tell(new Supervisor.TellChild("b", new Kit.Fail("n" + i)));
      List<String> codes = Kit.receiveCodes(events, strategy == RestartStrategy.ONE_FOR_ALL ? 4 : 2);
      assertEquals(name + "/failed:b", codes.get(0));
      assertTrue(codes.contains(name + "/restarted:b"), codes.toString());
    }
    clock.advance(Duration.ofSeconds(3));
    sup.tell(new Supervisor.TellChild("b", new Kit.Fail("one too many")));
    Kit.expectCodes(events, name + "/failed:b", name + "/intensity", name + "/stopped:a", name + "/escalated");
    testKit.createTestProbe().expectTerminated(sup, WAIT);
  }

  @ParameterizedTest
  @EnumSource(RestartStrategy.class)
  void failuresSpreadBeyondThePeriodNeverEscalate(RestartStrategy strategy) {
    String name = "spread-" + strategy;
    Kit.MutableClock clock = new Kit.MutableClock();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    TestProbe<String> life = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(spec(name, strategy, clock, events, life)));
    Kit.expectCodes(events, name + "/started:a", name + "/started:b");
    List<String> all = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofMillis(3400)); // never more than 3 restarts in any 10 s window
      sup.tell(new Supervisor.TellChild("b", new Kit.Fail("spread " + i)));
      all.addAll(Kit.receiveCodes(events, strategy == RestartStrategy.ONE_FOR_ALL ? 4 : 2));
    }
    assertEquals(10, all.stream().filter(c -> c.equals(name + "/restarted:b")).count());
    assertTrue(all.stream().noneMatch(c -> c.endsWith("/intensity") || c.endsWith("/escalated")), all.toString());
    events.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void normalExitsOfPermanentChildrenCountTowardsTheIntensity() {
    Kit.MutableClock clock = new Kit.MutableClock();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    TestProbe<String> life = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup =
        testKit.spawn(Supervisor.create(spec("exits", RestartStrategy.ONE_FOR_ONE, clock, events, life)));
    Kit.expectCodes(events, "exits/started:a", "exits/started:b");
    for (int i = 0; i < 3; i++) {
      sup.tell(new Supervisor.TellChild("a", new Kit.Exit()));
      Kit.expectCodes(events, "exits/exited:a", "exits/restarted:a");
    }
    sup.tell(new Supervisor.TellChild("a", new Kit.Exit()));
    Kit.expectCodes(events, "exits/exited:a", "exits/intensity", "exits/stopped:b", "exits/escalated");
  }
}
