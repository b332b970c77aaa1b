package dev.cairn.persistence;

import static dev.cairn.persistence.PolicyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
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

/** The time-based checkpoint fires from a timer, driven here by Pekko's ManualTime. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckpointTimerTest {

  @JUnit5TestKit
  public ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(ManualTime.config().withFallback(testkitConfig())).build();

  @Test
  void everyIntervalTakesACheckpointFromATimerWithoutWaitingForTheNextEvent() {
    String id = uniqueId("timer");
    ManualTime time = ManualTime.get(kit.system());
    TestProbe<PolicyEvent> events = policyEvents(kit);
    ActorRef<Counter.Cmd> ref = kit.spawn(Counter.actor(id).withCheckpointPolicy(CheckpointPolicy.every(Duration.ofSeconds(30))).behavior());
    expectEvent(events, PolicyEvent.Recovered.class, id);
    add(kit, ref, 1);
    add(kit, ref, 2);
    time.timePasses(Duration.ofSeconds(29));
    events.expectNoMessage(Duration.ofMillis(100));
    time.timePasses(Duration.ofSeconds(2));
    PolicyEvent.CheckpointTaken taken = expectEvent(events, PolicyEvent.CheckpointTaken.class, id);
    assertEquals("timer", taken.reason());
    assertEquals(3, taken.sequenceNr());
    // nothing changed since: the next tick takes no checkpoint
    time.timePasses(Duration.ofSeconds(31));
    assertEquals(3, get(kit, ref));
    events.expectNoMessage(Duration.ofMillis(100));
    kit.stop(ref); // its timer must not tick into the other test, which moves the same manual clock
  }

  @Test
  void combinedPolicyTakesACheckpointOnWhicheverComesFirst() {
    String id = uniqueId("timer-or-events");
    ManualTime time = ManualTime.get(kit.system());
    TestProbe<PolicyEvent> events = policyEvents(kit);
    CheckpointPolicy policy = CheckpointPolicy.everyEvents(3).orEvery(Duration.ofSeconds(30)).keepLast(3);
    ActorRef<Counter.Cmd> ref = kit.spawn(Counter.actor(id).withCheckpointPolicy(policy).behavior());
    for (int i = 0; i < 3; i++) add(kit, ref, 1);
    assertEquals("every 3 events", expectEvent(events, PolicyEvent.CheckpointTaken.class, id).reason());
    add(kit, ref, 1);
    time.timePasses(Duration.ofSeconds(31));
    assertEquals("timer", expectEvent(events, PolicyEvent.CheckpointTaken.class, id).reason());
    kit.stop(ref);
  }
}
