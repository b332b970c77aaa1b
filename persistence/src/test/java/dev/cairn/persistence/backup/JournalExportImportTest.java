package dev.cairn.persistence.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.NoOffset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export through Persistence Query and import through the journal write protocol, on Pekko's
 * persistence testkit journal (Cairn's own journal is exercised in the CLI tests).
 */
@ExtendWith(LogCapturingExtension.class)
class JournalExportImportTest {
  private static final String QUERY = PersistenceTestKitReadJournal.Identifier();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private ActorTestKit source;
  private ActorTestKit target;

  @BeforeEach
  void start() {
    // two systems: each has its own in-memory testkit journal
    source = ActorTestKit.create("source",
        PersistenceTestKitPlugin.getInstance().config().withFallback(ConfigFactory.load()));
    target = ActorTestKit.create("target",
        PersistenceTestKitPlugin.getInstance().config().withFallback(ConfigFactory.load()));
  }

  @AfterEach
  void stop() {
    source.shutdownTestKit();
    target.shutdownTestKit();
  }

  private static long add(ActorTestKit kit, ActorRef<Counter.Command> counter, int amount) {
    TestProbe<Long> probe = kit.createTestProbe();
    counter.tell(new Counter.Add(amount, probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  private static long total(ActorTestKit kit, String id) {
    ActorRef<Counter.Command> counter = kit.spawn(Counter.create(id));
    TestProbe<Long> probe = kit.createTestProbe();
    counter.tell(new Counter.Get(probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  private Path exportAll() throws Exception {
    for (String id : List.of("counter-a", "counter-b")) {
      ActorRef<Counter.Command> c = source.spawn(Counter.create(id));
      for (int i = 1; i <= 5; i++) add(source, c, i * (id.endsWith("a") ? 1 : 10));
    }
    Path file = tmp.resolve("export.jsonl");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      ExportSummary summary = JournalExport.export(source.system(), QUERY, out,
          ExportOptions.defaults().withPersistenceIds(List.of("counter-a", "counter-b")))
          .toCompletableFuture().get(20, TimeUnit.SECONDS);
      assertEquals(new ExportSummary(2, 10, 0), summary);
    }
    return file;
  }

  @Test
  void exportWritesOneJsonLinePerEventWithItsDecodedPayload() throws Exception {
    Path file = exportAll();

    List<String> lines = Files.readAllLines(file);
    assertEquals(10, lines.size());
    JsonNode first = JSON.readTree(lines.get(0));
    assertEquals("counter-a", first.get("persistenceId").asText());
    assertEquals(1, first.get("seqNr").asLong());
    int serializerId = org.apache.pekko.serialization.SerializationExtension.get(source.system())
        .findSerializerFor(new Counter.Added(1, "")).identifier();
    assertEquals(serializerId, first.get("serializerId").asInt());
    assertEquals("cbor", first.get("encoding").asText());
    assertEquals(Counter.Added.class.getName(), first.get("manifest").asText());
    assertEquals(1, first.get("payload").get("amount").asInt());
    assertEquals("add 1", first.get("payload").get("note").asText());
    assertTrue(first.has("timestamp")); // the testkit journal keeps no timestamps: 0
    JsonNode last = JSON.readTree(lines.get(9));
    assertEquals("counter-b", last.get("persistenceId").asText());
    assertEquals(5, last.get("seqNr").asLong());
    assertEquals(50, last.get("payload").get("amount").asInt());
  }

  @Test
  void importedJournalRecoversTheSameStateInAnotherPlugin() throws Exception {
    Path file = exportAll();

    ImportSummary summary = JournalImport.importFile(target.system(),
        PersistenceTestKitPlugin.PluginId(), file, ImportOptions.defaults().withBatchSize(3))
        .toCompletableFuture().get(20, TimeUnit.SECONDS);

    assertEquals(new ImportSummary(2, 10, 0), summary);
    assertEquals(15, total(target, "counter-a"));
    assertEquals(150, total(target, "counter-b"));
  }

  @Test
  void importKeepsTags() throws Exception {
    Path file = tmp.resolve("tagged.jsonl");
    Files.writeString(file,
        "{\"persistenceId\":\"t-1\",\"seqNr\":1,\"timestamp\":1234,\"tags\":[\"even\"],"
            + "\"serializerId\":" + cborSerializerId() + ",\"manifest\":\"" + Counter.Added.class.getName() + "\","
            + "\"encoding\":\"cbor\",\"payload\":{\"amount\":2,\"note\":\"two\"}}\n");

    JournalImport.importFile(target.system(), PersistenceTestKitPlugin.PluginId(), file,
        ImportOptions.defaults()).toCompletableFuture().get(20, TimeUnit.SECONDS);

    PersistenceTestKitReadJournal query = PersistenceQuery.get(target.system())
        .getReadJournalFor(PersistenceTestKitReadJournal.class,
            PersistenceTestKitReadJournal.Identifier());
    List<EventEnvelope> tagged = query.currentEventsByTag("even", NoOffset.getInstance())
        .runWith(Sink.seq(), target.system()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(1, tagged.size());
    assertEquals(new Counter.Added(2, "two"), tagged.get(0).event());
  }

  private int cborSerializerId() {
    return org.apache.pekko.serialization.SerializationExtension.get(target.system())
        .findSerializerFor(new Counter.Added(1, "")).identifier();
  }

  @Test
  void importRefusesAnIdThatAlreadyHasEvents() throws Exception {
    Path file = exportAll();
    JournalImport.importFile(target.system(), PersistenceTestKitPlugin.PluginId(), file,
        ImportOptions.defaults()).toCompletableFuture().get(20, TimeUnit.SECONDS);

    CompletionException e = assertThrows(CompletionException.class,
        () -> JournalImport.importFile(target.system(), PersistenceTestKitPlugin.PluginId(),
            file, ImportOptions.defaults()).toCompletableFuture().join());

    assertTrue(e.getCause() instanceof ImportException, e.toString());
    assertTrue(e.getCause().getMessage().contains("'counter-a' already has events up to"
        + " sequence number 5"), e.getCause().getMessage());
    assertEquals(15, total(target, "counter-a"));
  }

  @Test
  void malformedLineIsReportedWithItsNumberAndNothingIsWritten() throws Exception {
    Path file = exportAll();
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(file));
    lines.set(6, "{\"persistenceId\":\"counter-b\",\"seqNr\":\"two\"}");
    Files.write(file, lines);

    CompletionException e = assertThrows(CompletionException.class,
        () -> JournalImport.importFile(target.system(), PersistenceTestKitPlugin.PluginId(),
            file, ImportOptions.defaults()).toCompletableFuture().join());

    assertTrue(e.getCause().getMessage().startsWith("Line 7 of"), e.getCause().getMessage());
    assertTrue(e.getCause().getMessage().contains("'seqNr'"), e.getCause().getMessage());
    assertEquals(0, total(target, "counter-a"));
  }

  @Test
  void sequenceGapIsRefused() throws Exception {
    Path file = exportAll();
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(file));
    lines.remove(2);
    Files.write(file, lines);

    CompletionException e = assertThrows(CompletionException.class,
        () -> JournalImport.importFile(target.system(), PersistenceTestKitPlugin.PluginId(),
            file, ImportOptions.defaults()).toCompletableFuture().join());

    assertTrue(e.getCause().getMessage().contains("has sequence number 4 after 2"),
        e.getCause().getMessage());
  }

  @Test
  void exportOfNamedIdsWritesOnlyThoseIds() throws Exception {
    exportAll();
    StringWriter out = new StringWriter();

    ExportSummary summary = JournalExport.export(source.system(), QUERY, out,
        ExportOptions.defaults().withPersistenceIds(List.of("counter-b")))
        .toCompletableFuture().get(20, TimeUnit.SECONDS);

    assertEquals(new ExportSummary(1, 5, 0), summary);
    assertTrue(out.toString().lines().allMatch(l -> l.contains("\"counter-b\"")));
  }

  @Test
  void jsonLinesRoundTripKeepsEveryField() throws IOException {
    String line = "{\"persistenceId\":\"p\",\"seqNr\":3,\"timestamp\":9,\"writerUuid\":\"w\","
        + "\"tags\":[\"x\"],\"serializerId\":7,\"manifest\":\"m\",\"encoding\":\"base64\","
        + "\"payload\":\"AAEC\"}";

    var parsed = dev.cairn.persistence.backup.internal.ExportedEvent.parse(line);

    assertEquals(JSON.readTree(line), JSON.readTree(parsed.toJsonLine()));
  }
}
