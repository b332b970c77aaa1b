package dev.cairn.persistence.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.cairn.persistence.leveldb.CairnLevelDb;
import dev.cairn.persistence.leveldb.CairnLevelDbReadJournal;
import dev.cairn.persistence.leveldb.internal.CloseableIterator;
import dev.cairn.persistence.leveldb.internal.EventRecord;
import dev.cairn.persistence.leveldb.internal.Format;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import dev.cairn.persistence.leveldb.internal.LevelDbStores;
import dev.cairn.persistence.leveldb.internal.PersistenceIdState;
import dev.cairn.persistence.leveldb.internal.RawRestore;
import dev.cairn.persistence.leveldb.internal.RecordKind;
import dev.cairn.persistence.leveldb.internal.StoreOptions;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Export read straight from Cairn's store, and its rejected-event markers through import. */
@ExtendWith(LogCapturingExtension.class)
class StoreExportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BYTE_ARRAY_SERIALIZER = 4;

  @TempDir Path tmp;

  /** "p": 1 and 3 are events (tagged "t"), 2 a marker of an event the journal rejected. */
  private Path journalWithARejectedEvent() {
    Path dir = tmp.resolve("journal");
    try (RawRestore out = LevelDbStores.createForRestore(dir, StoreOptions.defaults())) {
      byte[] idKey = Format.persistenceIdKey("p");
      out.put(idKey, Format.encodePersistenceIdState(idKey, new PersistenceIdState(3, 0)));
      for (long seq = 1; seq <= 3; seq++) {
        byte[] key = Format.eventKey("p", seq);
        out.put(key, seq == 2
            ? Format.encodeEvent(key, RecordKind.REJECTED, 2_000, 0, "", "", "w", List.of(),
                new byte[0])
            : Format.encodeEvent(key, RecordKind.EVENT, 1_000 + seq, BYTE_ARRAY_SERIALIZER, "",
                "", "w", List.of("t"), ("event " + seq).getBytes(StandardCharsets.UTF_8)));
      }
      out.finish();
    }
    return dir;
  }

  @Test
  void storeExportKeepsTagsWriterAndMarksRejectedEvents() throws Exception {
    Path journal = journalWithARejectedEvent();
    StringWriter out = new StringWriter();

    ExportSummary summary =
        JournalExport.exportStore(journal, ConfigFactory.load(), out, ExportOptions.defaults());

    assertEquals(new ExportSummary(1, 3, 0), summary);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : out.toString().lines().toList()) lines.add(JSON.readTree(line));
    assertEquals("t", lines.get(0).get("tags").get(0).asText());
    assertEquals("w", lines.get(0).get("writerUuid").asText());
    assertEquals(1_001, lines.get(0).get("timestamp").asLong());
    assertEquals("base64", lines.get(0).get("encoding").asText());
    assertTrue(lines.get(1).get("rejected").asBoolean(), lines.get(1).toString());
    assertFalse(lines.get(1).has("payload"));
    assertEquals(3, lines.get(2).get("seqNr").asLong());
  }

  @Test
  void exportOfAnUnknownIdIsNotFound() {
    Path journal = journalWithARejectedEvent();

    JournalNotFoundException e = assertThrows(JournalNotFoundException.class,
        () -> JournalExport.exportStore(journal, ConfigFactory.load(), new StringWriter(),
            ExportOptions.defaults().withPersistenceIds(List.of("nobody"))));

    assertTrue(e.getMessage().contains("'nobody'"), e.getMessage());
  }

  @Test
  void importWritesNothingForARejectedEventAndKeepsTheOthers() throws Exception {
    Path file = tmp.resolve("export.jsonl");
    try (Writer out = Files.newBufferedWriter(file)) {
      JournalExport.exportStore(journalWithARejectedEvent(), ConfigFactory.load(), out,
          ExportOptions.defaults());
    }
    ActorTestKit kit = ActorTestKit.create("import-rejected",
        PersistenceTestKitPlugin.getInstance().config().withFallback(ConfigFactory.load()));
    try {
      ImportSummary summary = JournalImport.importFile(kit.system(),
          PersistenceTestKitPlugin.PluginId(), file, ImportOptions.defaults())
          .toCompletableFuture().get(20, TimeUnit.SECONDS);

      assertEquals(new ImportSummary(1, 2, 0), summary);
      assertEventsOneAndThree(PersistenceQuery.get(kit.system()).getReadJournalFor(
          PersistenceTestKitReadJournal.class, PersistenceTestKitReadJournal.Identifier()), kit);
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void rejectedEventRoundTripsIntoCairnsJournalAsAMarkerAndTheEventsAfterItStayReadable()
      throws Exception {
    Path file = tmp.resolve("export.jsonl");
    try (Writer out = Files.newBufferedWriter(file)) {
      JournalExport.exportStore(journalWithARejectedEvent(), ConfigFactory.load(), out,
          ExportOptions.defaults());
    }
    Path target = tmp.resolve("target");
    ActorTestKit kit = ActorTestKit.create("import-rejected-cairn",
        OnlineBackupTest.cairnConfig(target));
    try {
      ImportSummary summary = JournalImport.importFile(kit.system(),
          CairnLevelDb.JOURNAL_PLUGIN_ID, file, ImportOptions.defaults())
          .toCompletableFuture().get(20, TimeUnit.SECONDS);

      assertEquals(new ImportSummary(1, 2, 0), summary);
      try (StoreLease lease = LevelDbStores.acquireIfOpen(
          StoreDirectories.inDataDir(target).journalDir()).orElseThrow()) {
        List<RecordKind> kinds = new ArrayList<>();
        try (CloseableIterator<EventRecord> it = lease.store().events("p", 1, Long.MAX_VALUE)) {
          it.forEachRemaining(r -> kinds.add(r.kind()));
        }
        assertEquals(List.of(RecordKind.EVENT, RecordKind.REJECTED, RecordKind.EVENT), kinds);
        assertEquals(3, lease.store().highestSequenceNr("p"));
        assertEquals(2_000, lease.store().event("p", 2).timestamp());
        assertTrue(lease.store().verify().problems().isEmpty());
      }
      assertEventsOneAndThree(PersistenceQuery.get(kit.system()).getReadJournalFor(
          CairnLevelDbReadJournal.class, CairnLevelDb.QUERY_PLUGIN_ID), kit);
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void linesWithoutKindAreEventsAsInOlderExports() throws Exception {
    String payload = java.util.Base64.getEncoder()
        .encodeToString("old".getBytes(StandardCharsets.UTF_8));
    Path file = tmp.resolve("old.jsonl");
    Files.write(file, List.of(
        "{\"persistenceId\":\"o\",\"seqNr\":1,\"timestamp\":5,\"tags\":[],\"serializerId\":4,"
            + "\"manifest\":\"\",\"encoding\":\"base64\",\"payload\":\"" + payload + "\"}",
        "{\"kind\":\"event\",\"persistenceId\":\"o\",\"seqNr\":2,\"timestamp\":6,"
            + "\"serializerId\":4,\"encoding\":\"base64\",\"payload\":\"" + payload + "\"}"));
    Path target = tmp.resolve("target");
    ActorTestKit kit = ActorTestKit.create("import-old", OnlineBackupTest.cairnConfig(target));
    try {
      ImportSummary summary = JournalImport.importFile(kit.system(),
          CairnLevelDb.JOURNAL_PLUGIN_ID, file, ImportOptions.defaults())
          .toCompletableFuture().get(20, TimeUnit.SECONDS);

      assertEquals(new ImportSummary(1, 2, 0), summary);
      try (StoreLease lease = LevelDbStores.acquireIfOpen(
          StoreDirectories.inDataDir(target).journalDir()).orElseThrow()) {
        assertEquals(new PersistenceIdState(2, 0), lease.store().persistenceIdState("o"));
        assertArrayEquals("old".getBytes(StandardCharsets.UTF_8),
            lease.store().event("o", 2).payload());
      }
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void lineOfAnUnknownKindIsRefusedWithItsNumber() throws Exception {
    Path file = tmp.resolve("future.jsonl");
    Files.write(file, List.of("{\"kind\":\"tombstone\",\"persistenceId\":\"o\"}"));
    ActorTestKit kit = ActorTestKit.create("import-unknown",
        OnlineBackupTest.cairnConfig(tmp.resolve("target")));
    try {
      java.util.concurrent.CompletionException e = assertThrows(
          java.util.concurrent.CompletionException.class,
          () -> JournalImport.importFile(kit.system(), CairnLevelDb.JOURNAL_PLUGIN_ID, file,
              ImportOptions.defaults()).toCompletableFuture().join());

      assertTrue(e.getCause().getMessage().startsWith("Line 1 of"), e.getCause().getMessage());
      assertTrue(e.getCause().getMessage().contains("unknown line kind [tombstone]"),
          e.getCause().getMessage());
    } finally {
      kit.shutdownTestKit();
    }
  }

  /** The imported id "p" reads back as events 1 and 3 (the rejected 2 skipped), 3 with its payload. */
  private static void assertEventsOneAndThree(
      org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery journal,
      ActorTestKit kit) throws Exception {
    List<EventEnvelope> events = journal.currentEventsByPersistenceId("p", 0, Long.MAX_VALUE)
        .runWith(Sink.seq(), kit.system()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(List.of(1L, 3L), events.stream().map(EventEnvelope::sequenceNr).toList());
    assertArrayEquals("event 3".getBytes(StandardCharsets.UTF_8), (byte[]) events.get(1).event());
  }
}
