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
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A child stuck in a handler stops answering the liveness probe and is handled as failed (hung). */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HangDetectionTest {
  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  @Test
  void aChildStuckInAHandlerIsFoundHungAndRestarted() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("watchdog")
        .withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("w", () -> Kit.worker("w", life.ref())).withLivenessDeadline(Duration.ofMillis(200)))));
    Kit.expectCodes(events, "watchdog/started:w");
    CountDownLatch stuck = new CountDownLatch(1);
    try {
      sup.tell(new Supervisor.TellChild("w", new Kit.Block(stuck)));
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
}
