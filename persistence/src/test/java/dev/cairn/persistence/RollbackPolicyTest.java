package dev.cairn.persistence;

import static dev.cairn.persistence.PolicyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RollbackPolicyTest {

  @JUnit5TestKit
  public ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(testkitConfig()).build();

  @Test
  void anExceptionTypeWhileApplyingAnEventRollsBackToTheLastCheckpoint() {
    String id = uniqueId("on-exception");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    var actor = Counter.actor(id)
        .withCheckpointPolicy(CheckpointPolicy.everyEvents(2))
        .withRollbackPolicy(RollbackPolicy.toLastCheckpoint().onException(IllegalStateException.class));
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    add(kit, ref, 1);
    add(kit, ref, 2);
    expectEvent(events, PolicyEvent.CheckpointTaken.class, id);
    add(kit, ref, 4);
    TestProbe<Long> p = kit.createTestProbe();
    ref.tell(new Counter.Explode("bad", p.ref()));
    PolicyEvent.RolledBack rb = expectEvent(events, PolicyEvent.RolledBack.class, id);
    assertEquals(4, rb.fromSequenceNr());
    assertEquals(2, rb.toSequenceNr());
    assertEquals(2, rb.eventsUndone());
    assertEquals(RollbackTrigger.EXCEPTION, rb.trigger());
    // the reply of the failed command is not sent: its event did not count
    p.expectNoMessage(Duration.ofMillis(100));
    assertEquals(3, get(kit, ref));
    kit.stop(ref);
    assertEquals(3, get(kit, kit.spawn(actor.behavior())));
  }

  @Test
  void anInvariantViolationRollsBack() {
    String id = uniqueId("on-invariant");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    var actor = Counter.actor(id)
        .withInvariant("total is at most 100", s -> s.value() <= 100)
        .withRollbackPolicy(RollbackPolicy.toLastCheckpoint().onInvariantViolation());
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    add(kit, ref, 50);
    checkpoint(kit, ref);
    add(kit, ref, 30);
    TestProbe<Long> p = kit.createTestProbe();
    ref.tell(new Counter.Add(60, p.ref()));
    PolicyEvent.RolledBack rb = expectEvent(events, PolicyEvent.RolledBack.class, id);
    assertEquals(RollbackTrigger.INVARIANT_VIOLATION, rb.trigger());
    assertTrue(rb.reason().contains("total is at most 100"), rb.reason());
    assertEquals(2, rb.toSequenceNr());
    assertEquals(50, get(kit, ref));
    kit.stop(ref);
    assertEquals(50, get(kit, kit.spawn(actor.behavior())));
  }

  @Test
  void anInvariantViolationFoundAfterRecoveryRollsBackToTheNewestValidState() {
    String id = uniqueId("invariant-after-recovery");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    ActorRef<Counter.Cmd> ref = kit.spawn(Counter.actor(id).behavior());
    add(kit, ref, 40);
    add(kit, ref, 50);
    add(kit, ref, 70);
    kit.stop(ref);
    // a stricter rule is deployed: the state in the journal breaks it from the third event on
    var stricter = Counter.actor(id)
        .withInvariant("total is at most 100", s -> s.value() <= 100)
        .withRollbackPolicy(RollbackPolicy.toNewestValidState().onInvariantViolation());
    ActorRef<Counter.Cmd> again = kit.spawn(stricter.behavior());
    assertEquals(90, get(kit, again));
    PolicyEvent.RolledBack rb = expectEvent(events, PolicyEvent.RolledBack.class, id);
    assertEquals(2, rb.toSequenceNr());
    assertEquals(RollbackTrigger.INVARIANT_VIOLATION, rb.trigger());
  }

  @Test
  void aRollbackCommandReturnsToASequenceNr() {
    String id = uniqueId("to-seqnr");
    var actor = Counter.actor(id);
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    for (int i = 1; i <= 5; i++) add(kit, ref, i);
    var result = rollback(kit, ref, RollbackTarget.sequenceNr(2));
    PolicyEvent.RolledBack rb = assertInstanceOf(PolicyCommand.RollbackDone.class, result).event();
    assertEquals(5, rb.fromSequenceNr());
    assertEquals(2, rb.toSequenceNr());
    assertEquals(3, rb.eventsUndone());
    assertEquals(6, rb.markerSequenceNr());
    assertEquals(RollbackTrigger.COMMAND, rb.trigger());
    assertEquals(3, get(kit, ref));
    assertEquals(13, add(kit, ref, 10));
  }

  @Test
  void aRollbackCommandReturnsNCheckpointsBack() {
    String id = uniqueId("checkpoints-back");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    var actor = Counter.actor(id).withCheckpointPolicy(CheckpointPolicy.everyEvents(2).keepLast(3));
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    for (int i = 1; i <= 5; i++) add(kit, ref, i);
    expectEvent(events, PolicyEvent.CheckpointTaken.class, id);
    expectEvent(events, PolicyEvent.CheckpointTaken.class, id);
    var result = rollback(kit, ref, RollbackTarget.checkpointsBack(2));
    assertEquals(2, assertInstanceOf(PolicyCommand.RollbackDone.class, result).event().toSequenceNr());
    assertEquals(3, get(kit, ref));
  }

  @Test
  void recoveryAfterARollbackEqualsTheTargetWithAndWithoutCheckpoints() {
    String id = uniqueId("recovery-after-rollback");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    var actor = Counter.actor(id).withCheckpointPolicy(CheckpointPolicy.everyEvents(3));
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    for (int i = 1; i <= 7; i++) add(kit, ref, i);
    rollback(kit, ref, RollbackTarget.sequenceNr(4));
    assertEquals(10, get(kit, ref));
    add(kit, ref, 100);
    kit.stop(ref);
    ActorRef<Counter.Cmd> withCheckpoints = kit.spawn(actor.behavior());
    assertEquals(110, get(kit, withCheckpoints));
    kit.stop(withCheckpoints);
    SnapshotTestKit.create(kit.system()).clearByPersistenceId(id);
    ActorRef<Counter.Cmd> fullReplay = kit.spawn(actor.behavior());
    assertEquals(110, get(kit, fullReplay));
    PolicyEvent.Recovered rec = expectEvent(events, PolicyEvent.Recovered.class, id);
    while (rec.checkpointUsed().isPresent() || rec.sequenceNr() == 0) rec = expectEvent(events, PolicyEvent.Recovered.class, id);
    assertEquals(9, rec.eventsReplayed());
  }

  @Test
  void rolledBackEventsStayReadableForAudit() {
    String id = uniqueId("audit");
    ActorRef<Counter.Cmd> ref = kit.spawn(Counter.actor(id).behavior());
    for (int i = 1; i <= 3; i++) add(kit, ref, i);
    rollback(kit, ref, RollbackTarget.sequenceNr(1));
    List<Object> stored = PersistenceTestKit.create(kit.system()).persistedInStorage(id);
    assertEquals(List.of(new Counter.Added(1), new Counter.Added(2), new Counter.Added(3)), stored.subList(0, 3));
    RollbackMarker marker = assertInstanceOf(RollbackMarker.class, stored.get(3));
    assertEquals(1, marker.toSequenceNr());
    assertEquals(3, marker.fromSequenceNr());
  }

  @Test
  void aRollbackToDeletedEventsIsRefusedAndChangesNothing() throws InterruptedException {
    String id = uniqueId("refused");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    var actor = Counter.actor(id).withCheckpointPolicy(CheckpointPolicy.everyEvents(2).keepLast(1).withDeleteEventsCovered());
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    for (int i = 1; i <= 5; i++) add(kit, ref, i);
    expectEvent(events, PolicyEvent.CheckpointTaken.class, id);
    expectEvent(events, PolicyEvent.CheckpointTaken.class, id);
    var journal = PersistenceTestKit.create(kit.system());
    // the covered events 1..4 are deleted asynchronously after CheckpointTaken: wait until only event 5 is left
    awaitAssert(() -> assertEquals(1, journal.persistedInStorage(id).size()));
    int stored = journal.persistedInStorage(id).size();
    var result = rollback(kit, ref, RollbackTarget.sequenceNr(1));
    RollbackRefusedException e = assertInstanceOf(PolicyCommand.RollbackRefused.class, result).error();
    assertTrue(e.getMessage().contains("refused"), e.getMessage());
    assertTrue(e.getMessage().contains(id), e.getMessage());
    assertEquals(RollbackTarget.sequenceNr(1), expectEvent(events, PolicyEvent.RollbackWasRefused.class, id).target());
    assertEquals(15, get(kit, ref));
    assertEquals(stored, journal.persistedInStorage(id).size());
  }

  @Test
  void aRollbackToMoreCheckpointsBackThanAreRetainedIsRefusedAndChangesNothing() {
    String id = uniqueId("refused-checkpoints");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    var actor = Counter.actor(id).withCheckpointPolicy(CheckpointPolicy.everyEvents(2).keepLast(2));
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    for (int i = 1; i <= 6; i++) add(kit, ref, i);
    for (int i = 0; i < 3; i++) expectEvent(events, PolicyEvent.CheckpointTaken.class, id); // 2 is dropped, 4 and 6 kept
    var journal = PersistenceTestKit.create(kit.system());
    int stored = journal.persistedInStorage(id).size();
    var result = rollback(kit, ref, RollbackTarget.checkpointsBack(3));
    RollbackRefusedException e = assertInstanceOf(PolicyCommand.RollbackRefused.class, result).error();
    assertTrue(e.getMessage().contains(id) && e.getMessage().contains("2 checkpoint(s) retained"), e.getMessage());
    assertEquals(21, get(kit, ref));
    assertEquals(stored, journal.persistedInStorage(id).size());
  }

  @Test
  void aRollbackBeyondTheCurrentSequenceNrIsRefused() {
    String id = uniqueId("refused-future");
    ActorRef<Counter.Cmd> ref = kit.spawn(Counter.actor(id).behavior());
    add(kit, ref, 1);
    var result = rollback(kit, ref, RollbackTarget.sequenceNr(99));
    assertInstanceOf(PolicyCommand.RollbackRefused.class, result);
    assertEquals(1, get(kit, ref));
    assertEquals(1, PersistenceTestKit.create(kit.system()).persistedInStorage(id).size());
  }

  @Test
  void aRollbackCanBeSentByTheParent() {
    String id = uniqueId("via-parent");
    TestProbe<PolicyCommand.RollbackResult> results = kit.createTestProbe();
    TestProbe<ActorRef<Counter.Cmd>> childRef = kit.createTestProbe();
    Behavior<String> parent = Behaviors.setup(ctx -> {
      ActorRef<Counter.Cmd> child = ctx.spawn(Counter.actor(id).behavior(), "child");
      childRef.ref().tell(child);
      return Behaviors.receiveMessage(msg -> {
        EventSourcedActor.control(child).tell(PolicyCommand.RollBack.to(RollbackTarget.sequenceNr(1), msg, results.ref()));
        return Behaviors.same();
      });
    });
    ActorRef<String> p = kit.spawn(parent);
    ActorRef<Counter.Cmd> child = childRef.receiveMessage(TIMEOUT);
    add(kit, child, 7);
    add(kit, child, 8);
    p.tell("operator request");
    PolicyEvent.RolledBack rb = assertInstanceOf(PolicyCommand.RollbackDone.class, results.receiveMessage(TIMEOUT)).event();
    assertEquals("operator request", rb.reason());
    assertEquals(7, get(kit, child));
  }
}
