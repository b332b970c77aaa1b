package dev.cairn.persistence.leveldb;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The contract of Pekko's plugin TCK {@code JournalSpec} (pekko-persistence-tck), ported to
 * JUnit 5 with every optional capability on: each case of the spec has a test here with the
 * same intent, plus Cairn's own additions (atomic rejection of a multi-event write, oversized
 * events).
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JournalContractTest {
  private static final AtomicInteger counter = new AtomicInteger();
  private final Path dir = TestConfigs.freshDir("journal-contract-" + getClass().getSimpleName());

  @JUnit5TestKit
  final ActorTestKit testKit = ActorTestKit.create(getClass().getSimpleName(), TestConfigs.plugins(dir,
      "pekko.persistence.publish-plugin-commands = on\n"
          + "cairn.persistence.journal.leveldb.max-event-size = 1 KiB\n"
          + "cairn.persistence.journal.leveldb.event-adapters.prefixing = \"" + PrefixingAdapter.class.getName() + "\"\n"
          + "cairn.persistence.journal.leveldb.event-adapter-bindings.\"" + Adaptable.class.getName() + "\" = prefixing\n"
          + extraConfig()));

  /**
   * More journal configuration. The default ({@code write-response-global-order = off}) has the
   * journal send write replies itself; {@link JournalContractGlobalOrderTest} runs every case
   * again through Pekko's {@code AsyncWriteJournal} reply path.
   */
  String extraConfig() {
    return "";
  }

  /** A payload that the journal's event adapter turns into a String before it is stored. */
  record Adaptable(String value) {}

  /** Stores an {@link Adaptable} as "adapted:" + value with manifest "v1"; "boom" fails. */
  public static final class PrefixingAdapter implements org.apache.pekko.persistence.journal.WriteEventAdapter {
    @Override
    public String manifest(Object event) {
      return "v1";
    }

    @Override
    public Object toJournal(Object event) {
      String v = ((Adaptable) event).value();
      if (v.equals("boom")) throw new IllegalArgumentException("adapter refuses " + v);
      return "adapted:" + v;
    }
  }

  private final String writerUuid = "writer-uuid-1";
  private String pid;
  private ActorRef journal;
  private TestProbe<Object> receiver;
  /** The sender carried by every written event, as in Pekko's TCK (its replies go out with it as sender). */
  private ActorRef eventSender;

  @BeforeEach
  void writeFiveEvents() {
    pid = "p-" + counter.incrementAndGet();
    journal = Persistence.get(Adapter.toClassic(testKit.system())).journalFor(null, ConfigFactory.empty());
    receiver = testKit.createTestProbe();
    eventSender = Adapter.toClassic(testKit.createTestProbe().ref());
    // events 1..3 one per atomic write, 4 and 5 in one atomic write (as the TCK does)
    List<AtomicWrite> writes = new ArrayList<>();
    for (int i = 1; i <= 3; i++) writes.add(AtomicWrite.apply(repr("a-" + i, i)));
    writes.add(new AtomicWrite(seq(List.of(repr("a-4", 4), repr("a-5", 5)))));
    TestProbe<Object> probe = testKit.createTestProbe();
    journal.tell(writeMessages(writes, probe), ActorRef.noSender());
    probe.expectMessage(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    for (int i = 1; i <= 5; i++) {
      JournalProtocol.WriteMessageSuccess s = probe.expectMessageClass(JournalProtocol.WriteMessageSuccess.class);
      assertEquals(i, s.persistent().sequenceNr());
      assertEquals("a-" + i, s.persistent().payload());
    }
  }

  // ------------------------------------------------------------------ helpers

  private PersistentRepr repr(Object payload, long seqNr) {
    return PersistentRepr.apply(payload, seqNr, pid, "", false, eventSender, writerUuid);
  }

  private static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
    return CollectionConverters.asScala(list).toSeq();
  }

  private JournalProtocol.WriteMessages writeMessages(List<AtomicWrite> writes, TestProbe<Object> probe) {
    List<PersistentEnvelope> envs = new ArrayList<>(writes);
    return new JournalProtocol.WriteMessages(seq(envs), Adapter.toClassic(probe.ref()), 1);
  }

  private void replay(long from, long to, long max) {
    replay(from, to, max, pid);
  }

  private void replay(long from, long to, long max, String persistenceId) {
    journal.tell(new JournalProtocol.ReplayMessages(from, to, max, persistenceId, Adapter.toClassic(receiver.ref())), ActorRef.noSender());
  }

  private void expectReplayed(long... seqNrs) {
    for (long s : seqNrs) {
      JournalProtocol.ReplayedMessage m = receiver.expectMessageClass(JournalProtocol.ReplayedMessage.class);
      PersistentRepr p = m.persistent();
      assertEquals(s, p.sequenceNr());
      assertEquals("a-" + s, p.payload());
      assertEquals(pid, p.persistenceId());
      assertEquals(writerUuid, p.writerUuid());
      assertFalse(p.deleted());
      assertEquals("", p.manifest());
      assertTrue(p.timestamp() > 0, "timestamp is set on write");
    }
  }

  private void expectRecoverySuccess(long highest) {
    receiver.expectMessage(new JournalProtocol.RecoverySuccess(highest));
  }

  private void deleteTo(long toSeqNr) {
    TestProbe<Object> probe = testKit.createTestProbe();
    journal.tell(new JournalProtocol.DeleteMessagesTo(pid, toSeqNr, Adapter.toClassic(probe.ref())), ActorRef.noSender());
    probe.expectMessage(new org.apache.pekko.persistence.DeleteMessagesSuccess(toSeqNr));
  }

  // ------------------------------------------------------------------ "A journal must"

  @Test
  void replaysAllMessages() {
    replay(1, Long.MAX_VALUE, Long.MAX_VALUE);
    expectReplayed(1, 2, 3, 4, 5);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysFromLowerSequenceNumberBound() {
    replay(3, Long.MAX_VALUE, Long.MAX_VALUE);
    expectReplayed(3, 4, 5);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysUpToUpperSequenceNumberBound() {
    replay(1, 3, Long.MAX_VALUE);
    expectReplayed(1, 2, 3);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysUpToCountLimit() {
    replay(1, Long.MAX_VALUE, 3);
    expectReplayed(1, 2, 3);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysBetweenLowerAndUpperBound() {
    replay(2, 3, Long.MAX_VALUE);
    expectReplayed(2, 3);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysBetweenBoundsUpToCountLimit() {
    replay(2, 5, 2);
    expectReplayed(2, 3);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysSingleMessageWhenLowerBoundEqualsUpperBound() {
    replay(2, 2, Long.MAX_VALUE);
    expectReplayed(2);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysSingleMessageWhenCountLimitIsOne() {
    replay(2, 4, 1);
    expectReplayed(2);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysNothingWhenCountLimitIsZero() {
    replay(2, 4, 0);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysNothingWhenLowerBoundIsAboveUpperBound() {
    replay(3, 2, Long.MAX_VALUE);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysNothingForPersistenceIdWithoutMessages() {
    replay(0, Long.MAX_VALUE, Long.MAX_VALUE, "non-existing-pid");
    expectRecoverySuccess(0);
  }

  @Test
  void doesNotReplayPermanentlyDeletedMessages() {
    TestProbe<Object> sub = testKit.createTestProbe();
    // classic subscribe registers synchronously, so no event can be missed
    Adapter.toClassic(testKit.system()).eventStream().subscribe(Adapter.toClassic(sub.ref()), JournalProtocol.DeleteMessagesTo.class);
    TestProbe<Object> deleteProbe = testKit.createTestProbe();
    JournalProtocol.DeleteMessagesTo cmd = new JournalProtocol.DeleteMessagesTo(pid, 3, Adapter.toClassic(deleteProbe.ref()));
    journal.tell(cmd, ActorRef.noSender());
    sub.expectMessage(cmd);
    deleteProbe.expectMessage(new org.apache.pekko.persistence.DeleteMessagesSuccess(3));
    replay(1, Long.MAX_VALUE, Long.MAX_VALUE);
    expectReplayed(4, 5);
    expectRecoverySuccess(5);
    deleteProbe.expectNoMessage();
  }

  @Test
  void keepsHighestSequenceNumberAfterDeletion() {
    replay(0, Long.MAX_VALUE, Long.MAX_VALUE);
    expectReplayed(1, 2, 3, 4, 5);
    expectRecoverySuccess(5);
    deleteTo(3);
    replay(0, Long.MAX_VALUE, Long.MAX_VALUE);
    expectReplayed(4, 5);
    expectRecoverySuccess(5);
  }

  @Test
  void keepsHighestSequenceNumberAfterDeletingEverything() {
    deleteTo(Long.MAX_VALUE);
    replay(0, Long.MAX_VALUE, Long.MAX_VALUE);
    expectRecoverySuccess(5);
    receiver.expectNoMessage();
  }

  @Test
  void replaysSurvivorsWhenLowerBoundEqualsLastDeleted() {
    deleteTo(3);
    replay(3, Long.MAX_VALUE, Long.MAX_VALUE);
    expectReplayed(4, 5);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysNothingWhenUpperBoundFallsInDeletedPrefix() {
    deleteTo(3);
    replay(1, 2, Long.MAX_VALUE);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysNothingWhenUpperBoundEqualsLastDeleted() {
    deleteTo(3);
    replay(1, 3, Long.MAX_VALUE);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysFromFirstSurvivorWhenLowerBoundEqualsIt() {
    deleteTo(3);
    replay(4, Long.MAX_VALUE, Long.MAX_VALUE);
    expectReplayed(4, 5);
    expectRecoverySuccess(5);
  }

  @Test
  void replaysSurvivorsWithinBoundsWhenWindowSpansDeletedPrefix() {
    deleteTo(3);
    replay(1, 4, Long.MAX_VALUE);
    expectReplayed(4);
    expectRecoverySuccess(5);
  }

  // ------------------------------------------------------------------ "A journal optionally may"

  @Test
  void rejectsNonSerializableEventWhileEventsAroundItSucceed() {
    Object notSerializable = new Object() {
      @Override
      public String toString() {
        return "not serializable";
      }
    };
    List<AtomicWrite> writes = List.of(
        AtomicWrite.apply(repr("b-6", 6)), AtomicWrite.apply(repr(notSerializable, 7)), AtomicWrite.apply(repr("b-8", 8)));
    TestProbe<Object> probe = testKit.createTestProbe();
    journal.tell(writeMessages(writes, probe), ActorRef.noSender());
    probe.expectMessage(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    assertEquals("b-6", probe.expectMessageClass(JournalProtocol.WriteMessageSuccess.class).persistent().payload());
    JournalProtocol.WriteMessageRejected rejected = probe.expectMessageClass(JournalProtocol.WriteMessageRejected.class);
    assertSame(notSerializable, rejected.message().payload());
    assertEquals(7L, rejected.message().sequenceNr());
    assertInstanceOf(java.io.NotSerializableException.class, rejected.cause());
    assertEquals("b-8", probe.expectMessageClass(JournalProtocol.WriteMessageSuccess.class).persistent().payload());

    replay(6, Long.MAX_VALUE, Long.MAX_VALUE);
    assertEquals("b-6", receiver.expectMessageClass(JournalProtocol.ReplayedMessage.class).persistent().payload());
    assertEquals("b-8", receiver.expectMessageClass(JournalProtocol.ReplayedMessage.class).persistent().payload());
    expectRecoverySuccess(8);
  }

  @Test
  void serializesEventsThroughPekkoSerialization() {
    TestEvent event = new TestEvent("hello", 42);
    TestProbe<Object> probe = testKit.createTestProbe();
    journal.tell(writeMessages(List.of(AtomicWrite.apply(repr(event, 6))), probe), ActorRef.noSender());
    probe.expectMessage(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    assertEquals(event, probe.expectMessageClass(JournalProtocol.WriteMessageSuccess.class).persistent().payload());
    replay(6, Long.MAX_VALUE, Long.MAX_VALUE);
    PersistentRepr p = receiver.expectMessageClass(JournalProtocol.ReplayedMessage.class).persistent();
    assertEquals(event, p.payload());
    assertNotSame(event, p.payload());
    assertEquals(6L, p.sequenceNr());
    assertEquals(writerUuid, p.writerUuid());
    expectRecoverySuccess(6);
  }

  // ------------------------------------------------------------------ Cairn additions

  @Test
  void keepsNonZeroTimestampOfWrittenEventAndStampsWriteTimeWhenZero() {
    long original = 1_500_000_000_000L; // 2017: clearly not the write time
    long before = System.currentTimeMillis();
    TestProbe<Object> probe = testKit.createTestProbe();
    journal.tell(writeMessages(List.of(AtomicWrite.apply(repr("a-6", 6).withTimestamp(original)),
        AtomicWrite.apply(repr("a-7", 7))), probe), ActorRef.noSender());
    probe.expectMessage(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    probe.expectMessageClass(JournalProtocol.WriteMessageSuccess.class);
    probe.expectMessageClass(JournalProtocol.WriteMessageSuccess.class);
    replay(6, 7, Long.MAX_VALUE);
    PersistentRepr imported = receiver.expectMessageClass(JournalProtocol.ReplayedMessage.class).persistent();
    assertEquals(6L, imported.sequenceNr());
    assertEquals(original, imported.timestamp(), "a non-zero timestamp is stored as given");
    PersistentRepr fresh = receiver.expectMessageClass(JournalProtocol.ReplayedMessage.class).persistent();
    assertEquals(7L, fresh.sequenceNr());
    assertTrue(fresh.timestamp() >= before, "timestamp 0 is replaced by the write time, was " + fresh.timestamp());
    expectRecoverySuccess(7);
  }

  @Test
  void rejectsWholeAtomicWriteWhenOneOfItsEventsIsNotSerializable() {
    List<AtomicWrite> writes = List.of(new AtomicWrite(seq(List.of(repr("c-6", 6), repr(new Object(), 7), repr("c-8", 8)))),
        AtomicWrite.apply(repr("c-9", 9)));
    TestProbe<Object> probe = testKit.createTestProbe();
    journal.tell(writeMessages(writes, probe), ActorRef.noSender());
    probe.expectMessage(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    for (long s = 6; s <= 8; s++) {
      assertEquals(s, probe.expectMessageClass(JournalProtocol.WriteMessageRejected.class).message().sequenceNr());
    }
    assertEquals("c-9", probe.expectMessageClass(JournalProtocol.WriteMessageSuccess.class).persistent().payload());
    replay(6, Long.MAX_VALUE, Long.MAX_VALUE);
    PersistentRepr p = receiver.expectMessageClass(JournalProtocol.ReplayedMessage.class).persistent();
    assertEquals("c-9", p.payload());
    expectRecoverySuccess(9);
  }

  @Test
  void rejectsOversizedEventNamingItsSizeWhileEventsAroundItSucceed() {
    String big = "x".repeat(2000);
    List<AtomicWrite> writes = List.of(AtomicWrite.apply(repr("d-6", 6)), AtomicWrite.apply(repr(big, 7)), AtomicWrite.apply(repr("d-8", 8)));
    TestProbe<Object> probe = testKit.createTestProbe();
    journal.tell(writeMessages(writes, probe), ActorRef.noSender());
    probe.expectMessage(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    probe.expectMessageClass(JournalProtocol.WriteMessageSuccess.class);
    JournalProtocol.WriteMessageRejected rejected = probe.expectMessageClass(JournalProtocol.WriteMessageRejected.class);
    EventTooLargeException e = assertInstanceOf(EventTooLargeException.class, rejected.cause());
    assertEquals(pid, e.persistenceId());
    assertEquals(7L, e.sequenceNr());
    assertEquals(2000L, e.size());
    assertEquals(1024L, e.maxSize());
    probe.expectMessageClass(JournalProtocol.WriteMessageSuccess.class);
  }

  @Test
  void repliesToLoopedMessagesInTheirPlaceAmongTheWrites() {
    TestProbe<Object> probe = testKit.createTestProbe();
    List<PersistentEnvelope> envs = List.of(AtomicWrite.apply(repr("f-6", 6)),
        new org.apache.pekko.persistence.NonPersistentRepr("looped", ActorRef.noSender()), AtomicWrite.apply(repr("f-7", 7)));
    journal.tell(new JournalProtocol.WriteMessages(seq(envs), Adapter.toClassic(probe.ref()), 3), ActorRef.noSender());
    probe.expectMessage(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    JournalProtocol.WriteMessageSuccess first = probe.expectMessageClass(JournalProtocol.WriteMessageSuccess.class);
    assertEquals(6L, first.persistent().sequenceNr());
    assertEquals(3, first.actorInstanceId());
    assertEquals(new JournalProtocol.LoopMessageSuccess("looped", 3), probe.expectMessageClass(JournalProtocol.LoopMessageSuccess.class));
    assertEquals(7L, probe.expectMessageClass(JournalProtocol.WriteMessageSuccess.class).persistent().sequenceNr());

    // a request with looped messages only writes nothing and still answers
    journal.tell(new JournalProtocol.WriteMessages(seq(List.of(new org.apache.pekko.persistence.NonPersistentRepr("alone", ActorRef.noSender()))),
        Adapter.toClassic(probe.ref()), 3), ActorRef.noSender());
    probe.expectMessage(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    assertEquals(new JournalProtocol.LoopMessageSuccess("alone", 3), probe.expectMessageClass(JournalProtocol.LoopMessageSuccess.class));
    replay(6, Long.MAX_VALUE, Long.MAX_VALUE);
    assertEquals("f-6", receiver.expectMessageClass(JournalProtocol.ReplayedMessage.class).persistent().payload());
    assertEquals("f-7", receiver.expectMessageClass(JournalProtocol.ReplayedMessage.class).persistent().payload());
    expectRecoverySuccess(7);
  }

  @Test
  void storesWhatTheConfiguredEventAdapterMakesOfAnEvent() {
    TestProbe<Object> probe = testKit.createTestProbe();
    Adaptable event = new Adaptable("x");
    journal.tell(writeMessages(List.of(AtomicWrite.apply(repr(event, 6))), probe), ActorRef.noSender());
    probe.expectMessage(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    // the reply carries the event as the actor sent it
    assertSame(event, probe.expectMessageClass(JournalProtocol.WriteMessageSuccess.class).persistent().payload());
    replay(6, Long.MAX_VALUE, Long.MAX_VALUE);
    PersistentRepr p = receiver.expectMessageClass(JournalProtocol.ReplayedMessage.class).persistent();
    assertEquals("adapted:x", p.payload());
    assertEquals("v1", p.manifest());
    expectRecoverySuccess(6);
  }

  @Test
  void rejectsEveryAtomicWriteOfARequestWhoseEventAdapterFails() {
    TestProbe<Object> probe = testKit.createTestProbe();
    journal.tell(writeMessages(List.of(AtomicWrite.apply(repr("g-6", 6)), AtomicWrite.apply(repr(new Adaptable("boom"), 7))), probe),
        ActorRef.noSender());
    probe.expectMessage(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    for (long s = 6; s <= 7; s++) {
      JournalProtocol.WriteMessageRejected r = probe.expectMessageClass(JournalProtocol.WriteMessageRejected.class);
      assertEquals(s, r.message().sequenceNr());
      assertEquals("adapter refuses boom", r.cause().getMessage());
    }
    replay(1, Long.MAX_VALUE, Long.MAX_VALUE);
    expectReplayed(1, 2, 3, 4, 5);
    expectRecoverySuccess(5);
  }

  @Test
  void failsWriteThatWouldLeaveASequenceGap() {
    TestProbe<Object> probe = testKit.createTestProbe();
    journal.tell(writeMessages(List.of(AtomicWrite.apply(repr("e-9", 9))), probe), ActorRef.noSender());
    JournalProtocol.WriteMessagesFailed failed = probe.expectMessageClass(JournalProtocol.WriteMessagesFailed.class);
    SequenceGapException e = assertInstanceOf(SequenceGapException.class, failed.cause());
    assertEquals(6L, e.sequenceNr());
    assertEquals(1, failed.writeCount());
    JournalProtocol.WriteMessageFailure f = probe.expectMessageClass(JournalProtocol.WriteMessageFailure.class);
    assertEquals(9L, f.message().sequenceNr());
    assertSame(e, f.cause());
    replay(1, Long.MAX_VALUE, Long.MAX_VALUE);
    expectReplayed(1, 2, 3, 4, 5);
    expectRecoverySuccess(5);
  }

  @Test
  void failsWriteAtStoredSequenceNumbersAndKeepsTheStoredEvents() {
    TestProbe<Object> probe = testKit.createTestProbe();
    // a second writer of the same persistence id writing 4..6 (4 and 5 are stored)
    journal.tell(writeMessages(List.of(new AtomicWrite(seq(List.of(repr("other-4", 4), repr("other-5", 5), repr("other-6", 6))))), probe),
        ActorRef.noSender());
    JournalProtocol.WriteMessagesFailed failed = probe.expectMessageClass(JournalProtocol.WriteMessagesFailed.class);
    SequenceNumberConflictException e = assertInstanceOf(SequenceNumberConflictException.class, failed.cause());
    assertEquals(pid, e.persistenceId());
    assertEquals(4L, e.fromSequenceNr());
    assertEquals(5L, e.storedHighestSequenceNr());
    assertTrue(e.getMessage().contains("another writer") || e.getMessage().contains("Another writer"), e.getMessage());
    for (int i = 0; i < 3; i++) probe.expectMessageClass(JournalProtocol.WriteMessageFailure.class);
    replay(1, Long.MAX_VALUE, Long.MAX_VALUE);
    expectReplayed(1, 2, 3, 4, 5);
    expectRecoverySuccess(5);
  }

  @Test
  void readsHighestSequenceNumberForRecoveryOnlyAfterWritesStillQueuedInTheWriter() throws Exception {
    try (var lease = dev.cairn.persistence.leveldb.internal.LevelDbStores.acquireIfOpen(dir.resolve("journal")).orElseThrow()) {
      // hold the store's writer thread, so the next write waits in its queue (as while a sync runs)
      var blocker = dev.cairn.persistence.leveldb.internal.WriterHold.hold(lease.store(), false);
      TestProbe<Object> probe = testKit.createTestProbe();
      try {
        journal.tell(writeMessages(List.of(AtomicWrite.apply(repr("a-6", 6))), probe), ActorRef.noSender());
        // a recovery (it reads the highest sequence number first) asked while event 6 is queued
        replay(1, Long.MAX_VALUE, Long.MAX_VALUE);
        receiver.expectNoMessage();
        probe.expectNoMessage();
      } finally {
        blocker.countDown();
      }
      probe.expectMessage(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
      expectReplayed(1, 2, 3, 4, 5, 6);
      expectRecoverySuccess(6);
    }
  }

  private void writeRange(long from, long to) {
    List<AtomicWrite> writes = new ArrayList<>();
    for (long i = from; i <= to; i++) writes.add(AtomicWrite.apply(repr("a-" + i, i)));
    TestProbe<Object> probe = testKit.createTestProbe();
    journal.tell(writeMessages(writes, probe), ActorRef.noSender());
    probe.expectMessage(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    probe.receiveSeveralMessages(writes.size());
  }

  @Test
  void replaysLongHistoryInOrderAcrossChunksUpToCountLimit() {
    writeRange(6, 1500);
    replay(1, Long.MAX_VALUE, 1200);
    for (long s = 1; s <= 1200; s++) expectReplayed(s);
    expectRecoverySuccess(1500);
    replay(1, Long.MAX_VALUE, Long.MAX_VALUE);
    for (long s = 1; s <= 1500; s++) expectReplayed(s);
    expectRecoverySuccess(1500);
  }

  @Test
  void failsReplayOnGapFoundBeyondTheFirstChunk() {
    writeRange(6, 1500);
    try (var lease = dev.cairn.persistence.leveldb.internal.LevelDbStores.acquireIfOpen(dir.resolve("journal")).orElseThrow()) {
      lease.store().submit(new RawDelete(dev.cairn.persistence.leveldb.internal.Format.eventKey(pid, 1300))).join();
    }
    replay(1, Long.MAX_VALUE, Long.MAX_VALUE);
    // events are verified a chunk at a time: a prefix may be delivered, never anything past the gap
    long next = 1;
    Object m;
    while ((m = receiver.receiveMessage()) instanceof JournalProtocol.ReplayedMessage r) {
      assertEquals(next++, r.persistent().sequenceNr());
    }
    assertTrue(next <= 1300, "replayed up to " + (next - 1));
    JournalProtocol.ReplayMessagesFailure f = assertInstanceOf(JournalProtocol.ReplayMessagesFailure.class, m);
    SequenceGapException e = assertInstanceOf(SequenceGapException.class, f.cause());
    assertEquals(1300L, e.sequenceNr());
    assertEquals(pid, e.persistenceId());
  }

  @Test
  void failsReplayOnDamagedRecordFoundBeyondTheFirstChunkOfLongHistory() {
    writeRange(6, 1500);
    byte[] key = dev.cairn.persistence.leveldb.internal.Format.eventKey(pid, 1300);
    try (var lease = dev.cairn.persistence.leveldb.internal.LevelDbStores.acquireIfOpen(dir.resolve("journal")).orElseThrow()) {
      byte[] value = lease.store().getForWrite(key);
      value[value.length - 6] ^= 0x01; // one flipped bit in the payload
      lease.store().submit(new RawPut(key, value)).join();
    }
    replay(1, Long.MAX_VALUE, Long.MAX_VALUE);
    long next = 1;
    Object m;
    while ((m = receiver.receiveMessage()) instanceof JournalProtocol.ReplayedMessage r) {
      assertEquals(next++, r.persistent().sequenceNr());
    }
    assertTrue(next <= 1300, "replayed up to " + (next - 1));
    JournalProtocol.ReplayMessagesFailure f = assertInstanceOf(JournalProtocol.ReplayMessagesFailure.class, m);
    ChecksumMismatchException e = assertInstanceOf(ChecksumMismatchException.class, f.cause());
    assertEquals(1300L, e.sequenceNr());
    assertEquals(pid, e.persistenceId());
  }
}
