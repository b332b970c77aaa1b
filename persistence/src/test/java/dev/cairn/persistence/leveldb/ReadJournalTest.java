package dev.cairn.persistence.leveldb;

import static org.junit.jupiter.api.Assertions.*;

import dev.cairn.persistence.leveldb.internal.Format;
import dev.cairn.persistence.leveldb.internal.LevelDbStores;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.NoOffset;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Persistence Query over Cairn's journal: persistenceIds, eventsByPersistenceId, eventsByTag, live and current. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReadJournalTest {
  private static final AtomicInteger counter = new AtomicInteger();
  private static final Path dir = TestConfigs.freshDir("query");

  @JUnit5TestKit
  final ActorTestKit testKit = ActorTestKit.create("ReadJournalTest", TestConfigs.plugins(dir, ""));

  private CairnLevelDbReadJournal queries;

  @BeforeAll
  void readJournal() {
    queries = PersistenceQuery.get(testKit.system()).getReadJournalFor(CairnLevelDbReadJournal.class, CairnLevelDb.QUERY_PLUGIN_ID);
  }

  private final List<ActorRef<Recorder.Command>> running = new ArrayList<>();

  private ActorRef<Recorder.Command> start(String pid) {
    TestProbe<Object> monitor = testKit.createTestProbe();
    ActorRef<Recorder.Command> a = testKit.spawn(Recorder.create(pid, monitor.ref(), 0));
    monitor.receiveMessage();
    return a;
  }

  private void add(ActorRef<Recorder.Command> actor, String... texts) {
    TestProbe<Done> acks = testKit.createTestProbe();
    for (String t : texts) {
      actor.tell(new Recorder.Add(t, acks.ref()));
      acks.expectMessage(Done.getInstance());
    }
  }

  private static <T> T await(CompletionStage<T> s) throws Exception {
    return s.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static List<String> texts(List<EventEnvelope> envs) {
    return envs.stream().map(e -> ((TestEvent) e.event()).text()).toList();
  }

  @Test
  void currentEventsByPersistenceIdReturnsEventsInRangeWithSequenceOffsetsAndCompletes() throws Exception {
    String pid = "q-" + counter.incrementAndGet();
    add(start(pid), "a", "b", "c", "d");
    List<EventEnvelope> all = await(queries.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE).runWith(Sink.seq(), testKit.system()));
    assertEquals(List.of("a", "b", "c", "d"), texts(all));
    assertEquals(Sequence.apply(2), all.get(1).offset());
    assertEquals(2L, all.get(1).sequenceNr());
    assertEquals(pid, all.get(1).persistenceId());
    assertTrue(all.get(1).timestamp() > 0);
    List<EventEnvelope> middle = await(queries.currentEventsByPersistenceId(pid, 2, 3).runWith(Sink.seq(), testKit.system()));
    assertEquals(List.of("b", "c"), texts(middle));
  }

  @Test
  void liveEventsByPersistenceIdDeliversEventsWrittenLater() throws Exception {
    String pid = "q-" + counter.incrementAndGet();
    ActorRef<Recorder.Command> actor = start(pid);
    add(actor, "a");
    CompletionStage<List<EventEnvelope>> three = queries.eventsByPersistenceId(pid, 0, Long.MAX_VALUE).take(3).runWith(Sink.seq(), testKit.system());
    add(actor, "b", "c");
    assertEquals(List.of("a", "b", "c"), texts(await(three)));
  }

  @Test
  void currentPersistenceIdsListsEveryWriterAndLiveOnePicksUpNewOnes() throws Exception {
    String p1 = "q-" + counter.incrementAndGet();
    String p2 = "q-" + counter.incrementAndGet();
    add(start(p1), "x");
    List<String> current = await(queries.currentPersistenceIds().runWith(Sink.seq(), testKit.system()));
    assertTrue(current.contains(p1), current.toString());
    assertFalse(current.contains(p2), current.toString());
    TestProbe<String> ids = testKit.createTestProbe();
    queries.persistenceIds().runWith(Sink.foreach(ids.ref()::tell), testKit.system());
    add(start(p2), "y");
    ids.fishForMessage(java.time.Duration.ofSeconds(10), id -> id.equals(p2)
        ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
        : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
  }

  @Test
  void eventsByTagReturnsTaggedEventsAndResumesAfterAnExclusiveOffset() throws Exception {
    String tagRun = "q-" + counter.incrementAndGet();
    ActorRef<Recorder.Command> a = start(tagRun + "-a");
    ActorRef<Recorder.Command> b = start(tagRun + "-b");
    long before = lastOrdering("even");
    add(a, tagRun + "-a1", tagRun + "-a2"); // numbers 1, 2
    add(b, tagRun + "-b1", tagRun + "-b2"); // numbers 1, 2
    List<EventEnvelope> even = await(queries.currentEventsByTag("even", Sequence.apply(before)).runWith(Sink.seq(), testKit.system()));
    assertEquals(List.of(tagRun + "-a2", tagRun + "-b2"), texts(even));
    Offset resume = even.get(0).offset();
    List<EventEnvelope> after = await(queries.currentEventsByTag("even", resume).runWith(Sink.seq(), testKit.system()));
    assertEquals(List.of(tagRun + "-b2"), texts(after));
    List<EventEnvelope> fromStart = await(queries.currentEventsByTag("even", NoOffset.getInstance()).runWith(Sink.seq(), testKit.system()));
    assertTrue(texts(fromStart).containsAll(List.of(tagRun + "-a2", tagRun + "-b2")));
  }

  @Test
  void liveEventsByTagDeliversEventsTaggedLater() throws Exception {
    String pid = "q-" + counter.incrementAndGet();
    ActorRef<Recorder.Command> actor = start(pid);
    long before = lastOrdering("odd");
    CompletionStage<List<EventEnvelope>> two = queries.eventsByTag("odd", Sequence.apply(before)).take(2).runWith(Sink.seq(), testKit.system());
    add(actor, "o1", "e2", "o3");
    assertEquals(List.of("o1", "o3"), texts(await(two)));
  }

  @Test
  void damagedEventFailsTheQueryStreamWithTypedError() {
    String pid = "q-" + counter.incrementAndGet();
    add(start(pid), "a", "b", "c");
    try (StoreLease lease = LevelDbStores.acquireIfOpen(dir.resolve("journal")).orElseThrow()) {
      byte[] k = Format.eventKey(pid, 2);
      byte[] original = rawValue(lease, k);
      byte[] wrong = rawValue(lease, Format.eventKey(pid, 1)); // a valid value under another key fails the checksum
      lease.store().submit(new RawPut(k, wrong)).join();
      try {
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> await(queries.currentEventsByPersistenceId(pid, 0, Long.MAX_VALUE).runWith(Sink.seq(), testKit.system())));
        ChecksumMismatchException c = assertInstanceOf(ChecksumMismatchException.class, e.getCause());
        assertEquals(2L, c.sequenceNr());
      } finally {
        lease.store().submit(new RawPut(k, original)).join(); // the tag queries of other tests read this event
      }
    }
  }

  private static byte[] rawValue(StoreLease lease, byte[] key) {
    try (var it = lease.store().rawEntries()) {
      while (it.hasNext()) {
        var e = it.next();
        if (java.util.Arrays.equals(e.key(), key)) return e.value();
      }
    }
    throw new AssertionError("no such key");
  }

  private long lastOrdering(String tag) throws Exception {
    List<EventEnvelope> all = await(queries.currentEventsByTag(tag, NoOffset.getInstance()).runWith(Sink.seq(), testKit.system()));
    return all.isEmpty() ? 0L : ((Sequence) all.get(all.size() - 1).offset()).value();
  }
}
