package dev.cairn.supervision;

import static dev.cairn.supervision.Kit.WAIT;

import java.time.Duration;
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

/** Significant children and the supervisor's auto-shutdown. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AutoShutdownTest {
  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  @Test
  void anySignificantShutsDownWhenOneSignificantChildExits() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("any")
        .withAutoShutdown(AutoShutdown.ANY_SIGNIFICANT).withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("a", () -> Kit.worker("a", life.ref())))
        .withChild(ChildSpec.worker("s", () -> Kit.worker("s", life.ref())).withRestartType(RestartType.TRANSIENT)
            .withSignificant(true))));
    Kit.expectCodes(events, "any/started:a", "any/started:s");
    sup.tell(new Supervisor.TellChild("s", new Kit.Exit()));
    Kit.expectCodes(events, "any/exited:s", "any/stopped:a", "any/supervisor-stopped");
    testKit.createTestProbe().expectTerminated(sup, WAIT);
  }

  @Test
  void allSignificantShutsDownOnlyWhenEverySignificantChildHasTerminated() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("all-sig")
        .withAutoShutdown(AutoShutdown.ALL_SIGNIFICANT).withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("a", () -> Kit.worker("a", life.ref())))
        .withChild(ChildSpec.worker("s1", () -> Kit.worker("s1", life.ref())).withRestartType(RestartType.TEMPORARY)
            .withSignificant(true))
        .withChild(ChildSpec.worker("s2", () -> Kit.worker("s2", life.ref())).withRestartType(RestartType.TEMPORARY)
            .withSignificant(true))));
    Kit.expectCodes(events, "all-sig/started:a", "all-sig/started:s1", "all-sig/started:s2");
    sup.tell(new Supervisor.TellChild("s1", new Kit.Fail("temporary failure")));
    Kit.expectCodes(events, "all-sig/failed:s1");
    events.expectNoMessage(Duration.ofMillis(200));
    sup.tell(new Supervisor.TellChild("s2", new Kit.Exit()));
    Kit.expectCodes(events, "all-sig/exited:s2", "all-sig/stopped:a", "all-sig/supervisor-stopped");
    testKit.createTestProbe().expectTerminated(sup, WAIT);
  }

  @Test
  void aRestartedSignificantChildDoesNotShutTheSupervisorDown() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("restarted-sig")
        .withAutoShutdown(AutoShutdown.ANY_SIGNIFICANT).withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("s", () -> Kit.worker("s", life.ref())).withRestartType(RestartType.TRANSIENT)
            .withSignificant(true))));
    Kit.expectCodes(events, "restarted-sig/started:s");
    sup.tell(new Supervisor.TellChild("s", new Kit.Fail("transient failure")));
    Kit.expectCodes(events, "restarted-sig/failed:s", "restarted-sig/restarted:s");
    events.expectNoMessage(Duration.ofMillis(200));
  }
}
