package dev.cairn.persistence;

import static dev.cairn.persistence.PolicyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoisonEventTest {

  @JUnit5TestKit
  public ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(testkitConfig()).build();

  @AfterEach
  void readable() {
    Counter.UNREADABLE_AMOUNTS.clear();
  }

  /** Writes 1, {@code poison}, 3 and makes {@code poison} unreadable. */
  private void journalWithUnreadableEvent(String id, int poison) {
    ActorRef<Counter.Cmd> ref = kit.spawn(Counter.actor(id).behavior());
    add(kit, ref, 1);
    add(kit, ref, poison);
    add(kit, ref, 3);
    kit.stop(ref);
    Counter.UNREADABLE_AMOUNTS.add(poison);
  }

  @Test
  void failIsTheDefaultAndNamesTheSequenceNr() {
    String id = uniqueId("poison-fail");
    journalWithUnreadableEvent(id, 9101);
    var actor = Counter.actor(id).withRedoPolicy(fastRedo().withRestartLimit(0, Duration.ofMinutes(1)));
    assertEquals(PoisonEventPolicy.FAIL, actor.poisonEventPolicy());
    TestProbe<Object> watcher = kit.createTestProbe();
    ActorRef<Counter.Cmd> ref = LoggingTestKit.error(RecoveryGaveUpException.class)
        .withMessageContains("Poison event at sequence number 2 of '" + id + "'")
        .expect(kit.system(), () -> kit.spawn(actor.behavior()));
    watcher.expectTerminated(ref, TIMEOUT);
  }

  @Test
  void skipAndQuarantineWritesADurableRecordAndContinues() throws Exception {
    String id = uniqueId("poison-skip");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    journalWithUnreadableEvent(id, 9102);
    var actor = Counter.actor(id).withPoisonEventPolicy(PoisonEventPolicy.SKIP_AND_QUARANTINE);
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    assertEquals(4, get(kit, ref));
    QuarantineRecord q = expectEvent(events, PolicyEvent.EventQuarantined.class, id).record();
    assertEquals(2, q.sequenceNr());
    assertEquals("DESERIALIZATION", q.kind());
    assertTrue(q.manifest().contains("Added"), q.manifest());
    assertTrue(q.cause().contains("unreadable amount 9102"), q.cause());
    assertEquals(id, q.persistenceId());
    assertEquals(List.of(q), QuarantineRecords.fromJournal(kit.system(), "", id).toCompletableFuture().get(10, TimeUnit.SECONDS));
  }

  @Test
  void quarantineRecordsSurviveARestartAndAreNotDuplicated() throws Exception {
    String id = uniqueId("poison-survive");
    journalWithUnreadableEvent(id, 9103);
    var actor = Counter.actor(id).withPoisonEventPolicy(PoisonEventPolicy.SKIP_AND_QUARANTINE);
    for (int restart = 0; restart < 3; restart++) {
      ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
      assertEquals(4, get(kit, ref));
      kit.stop(ref);
    }
    List<QuarantineRecord> viaQuery = QuarantineRecords
        .fromReadJournal(kit.system(), PersistenceTestKitReadJournal.Identifier(), id)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(1, viaQuery.size());
    assertEquals(2, viaQuery.get(0).sequenceNr());
    assertEquals(viaQuery, QuarantineRecords.fromJournal(kit.system(), "", id).toCompletableFuture().get(10, TimeUnit.SECONDS));
  }

  @Test
  void anEventHandlerExceptionDuringReplayIsAPoisonEventToo() {
    String id = uniqueId("poison-handler");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    PersistenceTestKit.create(kit.system()).persistForRecovery(id,
        List.of(new Counter.Added(1), new Counter.Exploded("written by an older version"), new Counter.Added(2)));
    ActorRef<Counter.Cmd> ref = kit.spawn(Counter.actor(id).withPoisonEventPolicy(PoisonEventPolicy.SKIP_AND_QUARANTINE).behavior());
    assertEquals(3, get(kit, ref));
    QuarantineRecord q = expectEvent(events, PolicyEvent.EventQuarantined.class, id).record();
    assertEquals("EVENT_HANDLER", q.kind());
    assertEquals(Counter.Exploded.class.getName(), q.manifest());
  }

  @Test
  void rollbackToBeforeReturnsToTheStateBeforeThePoisonEvent() {
    String id = uniqueId("poison-rollback");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    journalWithUnreadableEvent(id, 9104);
    var actor = Counter.actor(id).withPoisonEventPolicy(PoisonEventPolicy.ROLLBACK_TO_BEFORE);
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    assertEquals(1, get(kit, ref));
    PolicyEvent.RolledBack rb = expectEvent(events, PolicyEvent.RolledBack.class, id);
    assertEquals(RollbackTrigger.POISON_EVENT, rb.trigger());
    assertEquals(1, rb.toSequenceNr());
    assertEquals(3, rb.fromSequenceNr());
    assertEquals(11, add(kit, ref, 10));
    kit.stop(ref);
    // the marker makes later recoveries one forward pass, even under FAIL
    assertEquals(11, get(kit, kit.spawn(Counter.actor(id).behavior())));
  }

  @Test
  void recoverAsOfAppliesThePoisonPolicyWithoutWriting() throws Exception {
    String id = uniqueId("poison-as-of");
    journalWithUnreadableEvent(id, 9105);
    var actor = Counter.actor(id).withPoisonEventPolicy(PoisonEventPolicy.SKIP_AND_QUARANTINE);
    RecoveredState<Counter.Total> r = actor.recoverAsOf(kit.system(), AsOf.latest()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(4, r.state().value());
    assertEquals(List.of(2L), r.skippedPoisonEvents());
    assertEquals(3, PersistenceTestKit.create(kit.system()).persistedInStorage(id).size());
  }
}
