package dev.cairn.supervision;

import static dev.cairn.supervision.Kit.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A child stuck in a handler stops answering the liveness probe and is handled as failed (hung). The probe rounds are
 * driven by {@link ManualTime}: with real time, a long GC pause or a starved CPU would turn a healthy child into a false
 * "hung".
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HangDetectionTest {
  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(ManualTime.config()).build();

  @Test
  void aChildStuckInAHandlerIsFoundHungAndRestarted() {
    ManualTime time = ManualTime.get(testKit.system());
    Duration deadline = Duration.ofMillis(200);
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("watchdog")
        .withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("w", () -> Kit.worker("w", life.ref())).withLivenessDeadline(deadline))));
    Kit.expectCodes(events, "watchdog/started:w");
    CountDownLatch stuck = new CountDownLatch(1);
    try {
      sup.tell(new Supervisor.TellChild("w", new Kit.Block(stuck)));
      time.timePasses(deadline.plusMillis(1)); // ping: queued behind the blocking message
      events.expectNoMessage(Duration.ofMillis(100));
      time.timePasses(deadline.plusMillis(1)); // no pong within the deadline: hung
      List<SupervisionEvent> got = List.of(events.expectMessageClass(SupervisionEvent.class, WAIT),
          events.expectMessageClass(SupervisionEvent.class, WAIT), events.expectMessageClass(SupervisionEvent.class, WAIT));
      assertEquals(List.of("watchdog/hung:w", "watchdog/failed:w", "watchdog/restarted:w"), got.stream().map(Kit::code).toList());
      FailureRecord rec = ((SupervisionEvent.ChildFailed) got.get(1)).failure();
      assertInstanceOf(ChildHungException.class, rec.cause());
      // the new incarnation answers while the old one is still stuck
      TestProbe<String> replies = testKit.createTestProbe();
      sup.tell(new Supervisor.TellChild("w", new Kit.Echo("alive", replies.ref())));
      replies.expectMessage(WAIT, "w:alive");
    } finally {
      stuck.countDown();
    }
  }

  @Test
  void aResponsiveChildIsNeverFoundHung() {
    ManualTime time = ManualTime.get(testKit.system());
    Duration deadline = Duration.ofMillis(400);
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("healthy")
        .withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("w", () -> Kit.worker("w", life.ref())).withLivenessDeadline(deadline))));
    Kit.expectCodes(events, "healthy/started:w");
    TestProbe<String> replies = testKit.createTestProbe();
    for (int round = 0; round < 5; round++) {
      // the tick is queued before the echo: the supervisor pings, then forwards the echo, so once the echo is
      // answered the child's pong is already in the supervisor's mailbox, ahead of the next tick
      time.timePasses(deadline.plusMillis(1));
      sup.tell(new Supervisor.TellChild("w", new Kit.Echo("e" + round, replies.ref())));
      replies.expectMessage(WAIT, "w:e" + round);
    }
    time.timePasses(deadline.plusMillis(1));
    events.expectNoMessage(Duration.ofMillis(200));
    // the probe is really running: the same child stops answering once it is stuck, and is found hung
    CountDownLatch stuck = new CountDownLatch(1);
    try {
      sup.tell(new Supervisor.TellChild("w", new Kit.Block(stuck)));
      time.timePasses(deadline.plusMillis(1));
      time.timePasses(deadline.plusMillis(1));
      assertEquals("healthy/hung:w", Kit.code(events.expectMessageClass(SupervisionEvent.class, WAIT)));
    } finally {
      stuck.countDown();
    }
  }
}
