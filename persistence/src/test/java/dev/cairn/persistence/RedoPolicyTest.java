package dev.cairn.persistence;

import static dev.cairn.persistence.PolicyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedoPolicyTest {

  @JUnit5TestKit
  public ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(testkitConfig()).build();

  @Test
  void recoveryPublishesCheckpointUsedEventsReplayedAndDuration() {
    String id = uniqueId("stats");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    var actor = Counter.actor(id).withCheckpointPolicy(CheckpointPolicy.everyEvents(4));
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    for (int i = 0; i < 6; i++) add(kit, ref, 1);
    expectEvent(events, PolicyEvent.CheckpointTaken.class, id);
    kit.stop(ref);
    ActorRef<Counter.Cmd> again = kit.spawn(actor.behavior());
    assertEquals(6, get(kit, again));
    PolicyEvent.Recovered rec = expectEvent(events, PolicyEvent.Recovered.class, id);
    while (rec.sequenceNr() == 0) rec = expectEvent(events, PolicyEvent.Recovered.class, id);
    assertEquals(Optional.of(4L), rec.checkpointUsed());
    assertEquals(2, rec.eventsReplayed());
    assertEquals(6, rec.sequenceNr());
    assertFalse(rec.duration().isNegative());
  }

  @Test
  void fallbackAcrossTwoUnreadableCheckpointsToAnOlderOne() {
    String id = uniqueId("fallback-two");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    var actor = Counter.actor(id).withCheckpointPolicy(CheckpointPolicy.everyEvents(2).keepLast(5));
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    // totals after each event: 1,3,6,10,15,21,28 -> checkpoints at seqNr 2 (3), 4 (10), 6 (21)
    for (int i = 1; i <= 7; i++) add(kit, ref, i);
    for (int i = 0; i < 3; i++) expectEvent(events, PolicyEvent.CheckpointTaken.class, id);
    kit.stop(ref);
    Counter.UNREADABLE_TOTALS.addAll(List.of(21L, 10L));
    try {
      ActorRef<Counter.Cmd> again = kit.spawn(actor.behavior());
      assertEquals(28, get(kit, again));
      PolicyEvent.CheckpointFallback f1 = expectEvent(events, PolicyEvent.CheckpointFallback.class, id);
      assertEquals(6, f1.unreadableSequenceNr());
      PolicyEvent.CheckpointFallback f2 = expectEvent(events, PolicyEvent.CheckpointFallback.class, id);
      assertEquals(4, f2.unreadableSequenceNr());
      PolicyEvent.Recovered rec = expectEvent(events, PolicyEvent.Recovered.class, id);
      while (rec.fallbacks() == 0) rec = expectEvent(events, PolicyEvent.Recovered.class, id);
      assertEquals(Optional.of(2L), rec.checkpointUsed());
      assertEquals(2, rec.fallbacks());
      assertEquals(5, rec.eventsReplayed());
    } finally {
      Counter.UNREADABLE_TOTALS.removeAll(List.of(21L, 10L));
    }
  }

  @Test
  void allCheckpointsUnreadableFallsBackToAFullReplay() {
    String id = uniqueId("fallback-full");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    var actor = Counter.actor(id).withCheckpointPolicy(CheckpointPolicy.everyEvents(2).keepLast(5));
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    for (int i = 1; i <= 4; i++) add(kit, ref, 100 + i);
    expectEvent(events, PolicyEvent.CheckpointTaken.class, id);
    expectEvent(events, PolicyEvent.CheckpointTaken.class, id);
    kit.stop(ref);
    Counter.UNREADABLE_TOTALS.addAll(List.of(203L, 410L));
    try {
      ActorRef<Counter.Cmd> again = kit.spawn(actor.behavior());
      assertEquals(410, get(kit, again));
      PolicyEvent.Recovered rec = expectEvent(events, PolicyEvent.Recovered.class, id);
      while (rec.fallbacks() == 0) rec = expectEvent(events, PolicyEvent.Recovered.class, id);
      assertEquals(Optional.empty(), rec.checkpointUsed());
      assertEquals(4, rec.eventsReplayed());
    } finally {
      Counter.UNREADABLE_TOTALS.removeAll(List.of(203L, 410L));
    }
  }

  @Test
  void aSnapshotStoreReadFailureFallsBackToAFullReplay() {
    String id = uniqueId("snapshot-read-failure");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    var actor = Counter.actor(id).withCheckpointPolicy(CheckpointPolicy.everyEvents(2));
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    for (int i = 1; i <= 3; i++) add(kit, ref, i);
    expectEvent(events, PolicyEvent.CheckpointTaken.class, id);
    kit.stop(ref);
    SnapshotTestKit.create(kit.system()).failNextRead(id);
    ActorRef<Counter.Cmd> again = kit.spawn(actor.behavior());
    assertEquals(6, get(kit, again));
    PolicyEvent.CheckpointFallback f = expectEvent(events, PolicyEvent.CheckpointFallback.class, id);
    assertEquals(Optional.empty(), f.fallbackAtOrBelow());
  }

  @Test
  void recoverAsOfSequenceNrShowsPastStateWithoutChangingAnything() throws Exception {
    String id = uniqueId("as-of");
    var actor = Counter.actor(id).withCheckpointPolicy(CheckpointPolicy.everyEvents(3));
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    for (int i = 1; i <= 5; i++) add(kit, ref, i);
    var journal = PersistenceTestKit.create(kit.system());
    int before = journal.persistedInStorage(id).size();
    RecoveredState<Counter.Total> asOf2 = actor.recoverAsOf(kit.system(), AsOf.sequenceNr(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(3, asOf2.state().value());
    assertEquals(2, asOf2.sequenceNr());
    RecoveredState<Counter.Total> asOf4 = actor.recoverAsOf(kit.system(), AsOf.sequenceNr(4)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(10, asOf4.state().value());
    assertEquals(Optional.of(3L), asOf4.checkpointUsed());
    assertEquals(before, journal.persistedInStorage(id).size());
    assertEquals(15, get(kit, ref));
  }

  @Test
  void aFailureInRecoveryDoesNotLoop() {
    String id = uniqueId("no-loop");
    var actor = Counter.actor(id).withRedoPolicy(fastRedo().withRestartLimit(2, Duration.ofMinutes(1)));
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    add(kit, ref, 1);
    add(kit, ref, 9013);
    kit.stop(ref);
    Counter.UNREADABLE_AMOUNTS.add(9013);
    try {
      int before = Counter.UNREADABLE_READS.get();
      TestProbe<Object> watcher = kit.createTestProbe();
      ActorRef<Counter.Cmd> again = LoggingTestKit.error(RecoveryGaveUpException.class)
          .withMessageContains(id)
          .withOccurrences(1)
          .expect(kit.system(), () -> kit.spawn(actor.behavior()));
      watcher.expectTerminated(again, TIMEOUT);
      // the first attempt plus two restarts, each reading the poison event once; then it gives up
      assertEquals(3, Counter.UNREADABLE_READS.get() - before);
    } finally {
      Counter.UNREADABLE_AMOUNTS.remove(9013);
    }
  }

  @Test
  void aThrowingEventHandlerPersistsNothing() {
    String id = uniqueId("event-handler-failure");
    var supervised = Behaviors.supervise(Counter.actor(id).behavior())
        .onFailure(EventHandlerFailedException.class, SupervisorStrategy.restart());
    ActorRef<Counter.Cmd> ref = kit.spawn(supervised);
    add(kit, ref, 2);
    TestProbe<Long> p = kit.createTestProbe();
    ref.tell(new Counter.Explode("boom", p.ref()));
    p.expectNoMessage(Duration.ofMillis(100));
    assertEquals(2, get(kit, ref));
    assertEquals(1, PersistenceTestKit.create(kit.system()).persistedInStorage(id).size());
  }

  @Test
  void aJournalWriteFailureRestartsWithBackoffAndRedoes() {
    String id = uniqueId("write-failure");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    ActorRef<Counter.Cmd> ref = kit.spawn(Counter.actor(id).withRedoPolicy(fastRedo()).behavior());
    add(kit, ref, 5);
    PersistenceTestKit.create(kit.system()).failNextPersisted(id);
    TestProbe<Long> p = kit.createTestProbe();
    // never resumed: the failure goes to the redo policy's backoff
    LoggingTestKit.warn("redo in").withMessageContains(id).withOccurrences(1).expect(kit.system(), () -> {
      ref.tell(new Counter.Add(7, p.ref()));
      return null;
    });
    p.expectNoMessage(Duration.ofMillis(200));
    // redo after the failure: the unacknowledged event is not there, the actor goes on
    PolicyEvent.Recovered rec = expectEvent(events, PolicyEvent.Recovered.class, id);
    while (rec.sequenceNr() == 0) rec = expectEvent(events, PolicyEvent.Recovered.class, id);
    assertEquals(1, rec.sequenceNr());
    assertEquals(5, get(kit, ref));
    assertEquals(6, add(kit, ref, 1));
  }

  @Test
  void aThrowingCommandHandlerPersistsNothingAndRedoRestoresTheState() {
    String id = uniqueId("command-failure");
    var supervised = Behaviors.supervise(Counter.actor(id).behavior())
        .onFailure(CommandFailedException.class, SupervisorStrategy.restart());
    ActorRef<Counter.Cmd> ref = kit.spawn(supervised);
    add(kit, ref, 3);
    LoggingTestKit.error(CommandFailedException.class)
        .withMessageContains("dev.cairn.persistence.Counter$Crash")
        .expect(kit.system(), () -> {
          ref.tell(new Counter.Crash("test"));
          return null;
        });
    assertEquals(3, get(kit, ref));
    assertEquals(1, PersistenceTestKit.create(kit.system()).persistedInStorage(id).size());
  }

  @Test
  void commandsWaitingDuringRedoAreNotStrandedByRetentionDeletions() {
    // regression: a deletion reply stashed by Pekko during redo used to end the unstashing early
    for (int i = 0; i < 20; i++) {
      String id = uniqueId("stranded");
      var actor = Counter.actor(id).withCheckpointPolicy(CheckpointPolicy.onDemand().keepLast(1));
      var supervised = Behaviors.supervise(actor.behavior())
          .onFailure(CommandFailedException.class, SupervisorStrategy.restart().withLoggingEnabled(false));
      ActorRef<Counter.Cmd> ref = kit.spawn(supervised);
      add(kit, ref, 4);
      checkpoint(kit, ref);
      checkpoint(kit, ref);
      ref.tell(new Counter.Crash("restart while the deletion reply is under way"));
      TestProbe<Long> first = kit.createTestProbe();
      TestProbe<Long> second = kit.createTestProbe();
      ref.tell(new Counter.Get(first.ref()));
      ref.tell(new Counter.Get(second.ref()));
      assertEquals(4, first.receiveMessage(TIMEOUT));
      assertEquals(4, second.receiveMessage(TIMEOUT));
      kit.stop(ref);
    }
  }
}
