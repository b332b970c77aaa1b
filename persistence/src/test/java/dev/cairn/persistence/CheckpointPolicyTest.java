package dev.cairn.persistence;

import static dev.cairn.persistence.PolicyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Optional;
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

@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckpointPolicyTest {

  @JUnit5TestKit
  public ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(testkitConfig()).build();

  @Test
  void everyEventsTakesACheckpointEveryNEvents() {
    String id = uniqueId("every-n");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    ActorRef<Counter.Cmd> ref = kit.spawn(Counter.actor(id).withCheckpointPolicy(CheckpointPolicy.everyEvents(3)).behavior());
    for (int i = 1; i <= 7; i++) add(kit, ref, i);
    assertEquals(3, expectEvent(events, PolicyEvent.CheckpointTaken.class, id).sequenceNr());
    assertEquals(6, expectEvent(events, PolicyEvent.CheckpointTaken.class, id).sequenceNr());
    events.expectNoMessage(java.time.Duration.ofMillis(200));
  }

  @Test
  void predicateTakesACheckpointWhenItHolds() {
    String id = uniqueId("predicate");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    CheckpointPolicy policy = CheckpointPolicy.<Counter.Total, Counter.Event>when((s, e) -> s.value() >= 10);
    ActorRef<Counter.Cmd> ref = kit.spawn(Counter.actor(id).withCheckpointPolicy(policy).behavior());
    add(kit, ref, 4);
    add(kit, ref, 4);
    add(kit, ref, 4);
    PolicyEvent.CheckpointTaken taken = expectEvent(events, PolicyEvent.CheckpointTaken.class, id);
    assertEquals(3, taken.sequenceNr());
    assertEquals("predicate", taken.reason());
  }

  @Test
  void takeCheckpointCommandTakesOneOnDemandAndPublishesSeqNrDurationAndSize() {
    String id = uniqueId("on-demand");
    ActorRef<Counter.Cmd> ref = kit.spawn(Counter.actor(id).behavior());
    add(kit, ref, 5);
    add(kit, ref, 6);
    PolicyEvent.CheckpointTaken taken = checkpoint(kit, ref);
    // two user events plus the CheckpointRequested record
    assertEquals(3, taken.sequenceNr());
    assertTrue(taken.sizeBytes() > 0, "size " + taken.sizeBytes());
    assertFalse(taken.duration().isNegative());
    assertEquals("command", taken.reason());
  }

  @Test
  void checkpointRequestWithoutReplySkipsWhenNothingChanged() {
    String id = uniqueId("supervisor-request");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    ActorRef<Counter.Cmd> ref = kit.spawn(Counter.actor(id).behavior());
    add(kit, ref, 1);
    EventSourcedActor.control(ref).tell(PolicyCommand.TakeCheckpoint.now());
    assertEquals(2, expectEvent(events, PolicyEvent.CheckpointTaken.class, id).sequenceNr());
    EventSourcedActor.control(ref).tell(PolicyCommand.TakeCheckpoint.now());
    assertEquals(1, get(kit, ref));
    events.expectNoMessage(java.time.Duration.ofMillis(200));
  }

  @Test
  void checkpointAfterARecoveryThatReplayedMoreThanNEvents() {
    String id = uniqueId("after-recovery");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    var actor = Counter.actor(id).withCheckpointPolicy(CheckpointPolicy.afterRecoveryOver(3));
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    assertEquals(0, expectEvent(events, PolicyEvent.Recovered.class, id).eventsReplayed());
    addAll(kit, ref, List.of(1, 2, 3, 4, 5));
    kit.stop(ref);
    ActorRef<Counter.Cmd> again = kit.spawn(actor.behavior());
    PolicyEvent.Recovered rec = expectEvent(events, PolicyEvent.Recovered.class, id);
    assertEquals(5, rec.eventsReplayed());
    PolicyEvent.CheckpointTaken taken = expectEvent(events, PolicyEvent.CheckpointTaken.class, id);
    assertEquals("recovery", taken.reason());
    assertEquals(6, taken.sequenceNr());
    assertEquals(15, get(kit, again));
  }

  @Test
  void keepLastDeletesOlderCheckpoints() throws Exception {
    String id = uniqueId("keep-last");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    var actor = Counter.actor(id).withCheckpointPolicy(CheckpointPolicy.everyEvents(2).keepLast(2));
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    for (int i = 1; i <= 6; i++) add(kit, ref, 1);
    for (int s : new int[] {2, 4, 6}) assertEquals(s, expectEvent(events, PolicyEvent.CheckpointTaken.class, id).sequenceNr());
    // the deletion is requested after CheckpointTaken is published and completes asynchronously: wait for it
    var snapshots = org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit.create(kit.system());
    awaitAssert(() -> assertEquals(List.of(4L, 6L),
        snapshots.persistedInStorage(id).stream().map(p -> p.first().sequenceNr()).sorted().toList()));
    // the checkpoint at 2 is deleted: recovering as of 3 must start from no checkpoint at all
    RecoveredState<Counter.Total> asOf3 = awaitState(actor, AsOf.sequenceNr(3));
    assertEquals(Optional.empty(), asOf3.checkpointUsed());
    assertEquals(3, asOf3.state().value());
    RecoveredState<Counter.Total> asOf5 = awaitState(actor, AsOf.sequenceNr(5));
    assertEquals(Optional.of(4L), asOf5.checkpointUsed());
  }

  @Test
  void deleteEventsCoveredDeletesEventsUpToTheOldestRetainedCheckpoint() throws Exception {
    String id = uniqueId("delete-covered");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    var actor = Counter.actor(id).withCheckpointPolicy(CheckpointPolicy.everyEvents(2).keepLast(1).withDeleteEventsCovered());
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    for (int i = 1; i <= 4; i++) add(kit, ref, 1);
    expectEvent(events, PolicyEvent.CheckpointTaken.class, id);
    expectEvent(events, PolicyEvent.CheckpointTaken.class, id);
    var testkit = org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit.create(kit.system());
    awaitAssert(() -> assertEquals(0, testkit.persistedInStorage(id).size()));
    kit.stop(ref);
    ActorRef<Counter.Cmd> again = kit.spawn(actor.behavior());
    assertEquals(4, get(kit, again));
  }

  static RecoveredState<Counter.Total> awaitState(EventSourcedActor<Counter.Cmd, Counter.Event, Counter.Total> actor, AsOf asOf)
      throws Exception {
    return actor.recoverAsOf(kitSystem.get(), asOf).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  static final ThreadLocal<org.apache.pekko.actor.typed.ActorSystem<?>> kitSystem = new ThreadLocal<>();

  @org.junit.jupiter.api.BeforeEach
  void rememberSystem() {
    kitSystem.set(kit.system());
  }

}
