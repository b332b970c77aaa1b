package dev.cairn.persistence.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.cairn.persistence.leveldb.CairnLevelDb;
import dev.cairn.persistence.leveldb.CairnLevelDbReadJournal;
import dev.cairn.persistence.leveldb.internal.CloseableIterator;
import dev.cairn.persistence.leveldb.internal.EventRecord;
import dev.cairn.persistence.leveldb.internal.LevelDbStores;
import dev.cairn.persistence.leveldb.internal.PersistenceIdState;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import dev.cairn.persistence.leveldb.internal.StoreOptions;
import dev.cairn.persistence.leveldb.internal.VerifyReport;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SaveSnapshotSuccess;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export} of a Cairn journal whose actor snapshotted and deleted its older events, then
 * {@code import} into a fresh Cairn journal and snapshot store (or another plugin): the actors
 * recover exactly the same state, and the imported journal reads exactly like the source.
 */
@ExtendWith(LogCapturingExtension.class)
class CairnRoundTripTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** Snapshots every 5 events, keeps 2, deletes the events before the older kept one. */
  private static final String DELETING = "counter-d";
  private static final String PLAIN = "counter-p";
  private static final int EVENTS = 17;

  @TempDir Path tmp;

  private static long amount(long seqNr) {
    return seqNr * 3;
  }

  private static final long DELETING_TOTAL =
      LongStream.rangeClosed(1, EVENTS).map(CairnRoundTripTest::amount).sum();

  private static long add(ActorTestKit kit, ActorRef<Counter.Command> counter, int amount) {
    TestProbe<Long> probe = kit.createTestProbe();
    counter.tell(new Counter.Add(amount, probe.ref()));
    return probe.receiveMessage(TIMEOUT);
  }

  private static long total(ActorTestKit kit, ActorRef<Counter.Command> counter) {
    TestProbe<Long> probe = kit.createTestProbe();
    counter.tell(new Counter.Get(probe.ref()));
    return probe.receiveMessage(TIMEOUT);
  }

  /**
   * A Cairn data directory: DELETING has 17 events, snapshots at 10 and 15 and its events up to
   * 5 deleted; PLAIN has 4 events and no snapshot.
   */
  private Path writeSource() {
    Path data = tmp.resolve("source");
    ActorTestKit kit = ActorTestKit.create("source", OnlineBackupTest.cairnConfig(data));
    try {
      ActorRef<Counter.Command> deleting = kit.spawn(Counter.createDeletingEvents(DELETING, 5));
      for (int seqNr = 1; seqNr <= EVENTS; seqNr++) add(kit, deleting, (int) amount(seqNr));
      ActorRef<Counter.Command> plain = kit.spawn(Counter.create(PLAIN));
      for (int i = 1; i <= 4; i++) add(kit, plain, i);
      // the deletion follows the snapshot at 15 asynchronously
      try (StoreLease lease = LevelDbStores.acquireIfOpen(journalDir(data)).orElseThrow()) {
        kit.createTestProbe().awaitAssert(TIMEOUT, () -> {
          assertEquals(new PersistenceIdState(EVENTS, 5),
              lease.store().persistenceIdState(DELETING));
          return null;
        });
      }
    } finally {
      kit.shutdownTestKit();
    }
    return data;
  }

  private static Path journalDir(Path data) {
    return StoreDirectories.inDataDir(data).journalDir();
  }

  private Path export(Path data, ExportOptions options, String name) throws Exception {
    Path file = tmp.resolve(name);
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      JournalExport.exportStore(StoreDirectories.inDataDir(data), ConfigFactory.load(), out,
          options);
    }
    return file;
  }

  /** Every stored record of {@code id} (events and markers) with everything it carries. */
  private static List<String> records(StoreLease lease, String id) {
    List<String> out = new ArrayList<>();
    try (CloseableIterator<EventRecord> it = lease.store().events(id, 1, Long.MAX_VALUE)) {
      while (it.hasNext()) {
        EventRecord r = it.next();
        out.add(r.sequenceNr() + " " + r.kind() + " " + r.timestamp() + " " + r.writerUuid()
            + " " + r.tags() + " " + r.serializerId() + " " + r.manifest() + " "
            + HexFormat.of().formatHex(r.payload()));
      }
    }
    return out;
  }

  @Test
  void exportHasTheDeletedPrefixAndTheNewestSnapshotBeforeTheEvents() throws Exception {
    Path file = export(writeSource(), ExportOptions.defaults(), "export.jsonl");

    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file)) lines.add(JSON.readTree(line));
    assertEquals(2 + 12 + 4, lines.size());
    assertEquals(JSON.readTree("{\"kind\":\"deleted\",\"persistenceId\":\"counter-d\","
        + "\"toSeqNr\":5}"), lines.get(0));
    JsonNode snapshot = lines.get(1);
    assertEquals("snapshot", snapshot.get("kind").asText());
    assertEquals(DELETING, snapshot.get("persistenceId").asText());
    assertEquals(15, snapshot.get("seqNr").asLong());
    assertEquals(Counter.State.class.getName(), snapshot.get("manifest").asText());
    assertEquals("cbor", snapshot.get("encoding").asText());
    assertEquals(LongStream.rangeClosed(1, 15).map(CairnRoundTripTest::amount).sum(),
        snapshot.get("payload").get("total").asLong());
    assertTrue(snapshot.get("timestamp").asLong() > 0, snapshot.toString());
    assertEquals(6, lines.get(2).get("seqNr").asLong());
    assertTrue(!lines.get(2).has("kind"), "event lines keep the old format: " + lines.get(2));
    assertEquals(PLAIN, lines.get(14).get("persistenceId").asText());
    assertEquals(1, lines.get(14).get("seqNr").asLong());
  }

  @Test
  void importIntoAFreshCairnJournalRecoversTheSameStateAndReadsLikeTheSource() throws Exception {
    Path source = writeSource();
    Path file = export(source, ExportOptions.defaults(), "export.jsonl");
    List<String> sourceRecords;
    PersistenceIdState sourceState;
    try (StoreLease lease = LevelDbStores.acquire(journalDir(source), StoreOptions.defaults())) {
      sourceRecords = records(lease, DELETING);
      sourceState = lease.store().persistenceIdState(DELETING);
    }
    Path target = tmp.resolve("target");
    ActorTestKit kit = ActorTestKit.create("target", OnlineBackupTest.cairnConfig(target));
    try {
      ImportSummary summary = JournalImport.importFile(kit.system(),
          CairnLevelDb.JOURNAL_PLUGIN_ID, file, ImportOptions.defaults().withBatchSize(5))
          .toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals(new ImportSummary(2, 16, 1), summary);

      try (StoreLease lease = LevelDbStores.acquireIfOpen(journalDir(target)).orElseThrow()) {
        // stored exactly as the source: deleted-to 5, highest 17, the same records 6..17
        assertEquals(sourceState, lease.store().persistenceIdState(DELETING));
        assertEquals(EVENTS, lease.store().highestSequenceNr(DELETING));
        assertEquals(sourceRecords, records(lease, DELETING));
        VerifyReport report = lease.store().verify();
        assertTrue(report.problems().isEmpty(), report.problems().toString());
      }
      CairnLevelDbReadJournal query = PersistenceQuery.get(kit.system())
          .getReadJournalFor(CairnLevelDbReadJournal.class, CairnLevelDb.QUERY_PLUGIN_ID);
      List<EventEnvelope> events = query.currentEventsByPersistenceId(DELETING, 0, Long.MAX_VALUE)
          .runWith(Sink.seq(), kit.system()).toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertEquals(LongStream.rangeClosed(6, EVENTS).boxed().toList(),
          events.stream().map(EventEnvelope::sequenceNr).toList());
      assertEquals(new Counter.Added(18, "add 18"), events.get(0).event());

      // the actor recovers from the imported snapshot at 15 plus events 16 and 17
      ActorRef<Counter.Command> counter = kit.spawn(Counter.create(DELETING));
      assertEquals(DELETING_TOTAL, total(kit, counter));
      assertEquals(10, total(kit, kit.spawn(Counter.create(PLAIN))));
      assertEquals(DELETING_TOTAL + 1, add(kit, counter, 1));
      try (StoreLease lease = LevelDbStores.acquireIfOpen(journalDir(target)).orElseThrow()) {
        assertEquals(EVENTS + 1, lease.store().highestSequenceNr(DELETING));
        // the next persist took sequence number 18
        assertEquals(EVENTS + 1, lease.store().event(DELETING, EVENTS + 1).sequenceNr());
      }
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void importOfADeletedPrefixWithoutItsSnapshotIsRefusedAndWritesNothing() throws Exception {
    Path file = export(writeSource(), ExportOptions.defaults().withSnapshots(false),
        "no-snapshots.jsonl");
    Path target = tmp.resolve("target");
    ActorTestKit kit = ActorTestKit.create("target", OnlineBackupTest.cairnConfig(target));
    try {
      CompletionException e = assertThrows(CompletionException.class,
          () -> JournalImport.importFile(kit.system(), CairnLevelDb.JOURNAL_PLUGIN_ID, file,
              ImportOptions.defaults()).toCompletableFuture().join());

      assertTrue(e.getCause() instanceof ImportException, e.toString());
      String message = e.getCause().getMessage();
      assertTrue(message.contains("'counter-d' starts at sequence number 6"), message);
      assertTrue(message.contains("would recover a wrong state"), message);
      assertTrue(message.contains("nothing was written"), message);
      try (StoreLease lease = LevelDbStores.acquireIfOpen(journalDir(target)).orElseThrow()) {
        assertEquals(List.of(), lease.store().persistenceIds()); // not even counter-p
      }
      assertEquals(0, total(kit, kit.spawn(Counter.create(DELETING))));
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void snapshotOlderThanTheDeletedPrefixIsRefused() throws Exception {
    Path file = export(writeSource(), ExportOptions.defaults(), "export.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.set(1, lines.get(1).replace("\"seqNr\":15", "\"seqNr\":4"));
    Files.write(file, lines);
    ActorTestKit kit = ActorTestKit.create("target",
        OnlineBackupTest.cairnConfig(tmp.resolve("target")));
    try {
      CompletionException e = assertThrows(CompletionException.class,
          () -> JournalImport.importFile(kit.system(), CairnLevelDb.JOURNAL_PLUGIN_ID, file,
              ImportOptions.defaults()).toCompletableFuture().join());

      assertTrue(e.getCause().getMessage().contains("no snapshot of it at or after 5 (the"
          + " newest is at 4)"), e.getCause().getMessage());
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void importIntoAnotherPluginRecoversTheSameState() throws Exception {
    Path file = export(writeSource(), ExportOptions.defaults(), "export.jsonl");
    ActorTestKit kit = ActorTestKit.create("testkit-target",
        PersistenceTestKitPlugin.getInstance().config()
            .withFallback(PersistenceTestKitSnapshotPlugin.config())
            .withFallback(ConfigFactory.load()));
    try {
      ImportSummary summary = JournalImport.importFile(kit.system(),
          PersistenceTestKitPlugin.PluginId(), file, ImportOptions.defaults())
          .toCompletableFuture().get(20, TimeUnit.SECONDS);

      assertEquals(new ImportSummary(2, 16, 1), summary);
      ActorRef<Counter.Command> counter = kit.spawn(Counter.create(DELETING));
      assertEquals(DELETING_TOTAL, total(kit, counter));
      assertEquals(DELETING_TOTAL + 2, add(kit, counter, 2));
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void exportThroughTheReadJournalLoadsSnapshotsFromTheSnapshotPlugin() throws Exception {
    Path source = writeSource();
    Path file = tmp.resolve("query.jsonl");
    ActorTestKit sourceKit = ActorTestKit.create("source", OnlineBackupTest.cairnConfig(source));
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      ExportSummary summary = JournalExport.export(sourceKit.system(),
          CairnLevelDb.QUERY_PLUGIN_ID, out,
          ExportOptions.defaults().withSnapshotPluginId(CairnLevelDb.SNAPSHOT_PLUGIN_ID))
          .toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals(new ExportSummary(2, 16, 1), summary);
    } finally {
      sourceKit.shutdownTestKit();
    }
    Path target = tmp.resolve("target");
    ActorTestKit kit = ActorTestKit.create("target", OnlineBackupTest.cairnConfig(target));
    try {
      JournalImport.importFile(kit.system(), CairnLevelDb.JOURNAL_PLUGIN_ID, file,
          ImportOptions.defaults()).toCompletableFuture().get(20, TimeUnit.SECONDS);

      assertEquals(DELETING_TOTAL, total(kit, kit.spawn(Counter.create(DELETING))));
      try (StoreLease lease = LevelDbStores.acquireIfOpen(journalDir(target)).orElseThrow()) {
        assertEquals(new PersistenceIdState(EVENTS, 5), lease.store().persistenceIdState(DELETING));
      }
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void aNewerSnapshotInTheTargetSnapshotStoreIsRefused() throws Exception {
    Path file = export(writeSource(), ExportOptions.defaults(), "export.jsonl");
    ActorTestKit kit = ActorTestKit.create("target",
        OnlineBackupTest.cairnConfig(tmp.resolve("target")));
    try {
      org.apache.pekko.actor.ActorRef store = Persistence.get(kit.system())
          .snapshotStoreFor(CairnLevelDb.SNAPSHOT_PLUGIN_ID, ConfigFactory.empty());
      TestProbe<Object> probe = kit.createTestProbe();
      store.tell(new SnapshotProtocol.SaveSnapshot(new SnapshotMetadata(DELETING, 16, 1L),
          new Counter.State(7, 16)), Adapter.toClassic(probe.getRef()));
      probe.expectMessageClass(SaveSnapshotSuccess.class, TIMEOUT);

      CompletionException e = assertThrows(CompletionException.class,
          () -> JournalImport.importFile(kit.system(), CairnLevelDb.JOURNAL_PLUGIN_ID, file,
              ImportOptions.defaults()).toCompletableFuture().join());

      assertTrue(e.getCause() instanceof ImportException, e.toString());
      assertTrue(e.getCause().getMessage().contains("'counter-d' already has a snapshot at"
          + " sequence number 16"), e.getCause().getMessage());
      try (StoreLease lease = LevelDbStores.acquireIfOpen(
          journalDir(tmp.resolve("target"))).orElseThrow()) {
        assertEquals(List.of(), lease.store().persistenceIds());
      }
    } finally {
      kit.shutdownTestKit();
    }
  }
}
