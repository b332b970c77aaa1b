package dev.cairn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.persistence.backup.StoreDirectories;
import dev.cairn.persistence.leveldb.internal.Format;
import dev.cairn.persistence.leveldb.internal.KeyKind;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The cairn command line, end to end, on journals written by Cairn's LevelDB plugin. */
@ExtendWith(LogCapturingExtension.class)
class CairnCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path shared;
  @TempDir Path tmp;
  private static Path data;

  /** The outcome of one command. */
  record Run(int exitCode, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }
  }

  static Run cairn(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = CairnCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @BeforeAll
  static void writeJournal() {
    data = shared.resolve("cairn-data");
    TestJournals.write(data);
  }

  @Test
  void idsListsEveryPersistenceId() {
    Run run = cairn("--dir", data.toString(), "ids");

    assertEquals(0, run.exitCode(), run.err());
    assertEquals(List.of("account-1", "account-2", "account-3"), run.lines());
  }

  @Test
  void dirOptionWorksAfterTheCommandToo() {
    Run run = cairn("ids", "--dir", data.toString());

    assertEquals(0, run.exitCode(), run.err());
    assertEquals(3, run.lines().size());
  }

  @Test
  void dirMayBeTheJournalsLevelDbDirectoryItself() {
    Run run = cairn("--dir", StoreDirectories.inDataDir(data).journalDir().toString(), "ids");

    assertEquals(0, run.exitCode(), run.err());
    assertEquals(List.of("account-1", "account-2", "account-3"), run.lines());
  }

  @Test
  void eventsPrintsDecodedPayloadsInSequenceOrderWithinTheRange() {
    Run run = cairn("--dir", data.toString(), "events", "account-1", "--from", "3", "--to", "8");

    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = run.lines();
    assertEquals(6, lines.size(), run.out());
    assertTrue(lines.get(0).trim().startsWith("3 "), lines.get(0));
    assertTrue(lines.get(0).contains("{\"amount\":150}"), lines.get(0));
    assertTrue(lines.get(0).contains("tags=large"), lines.get(0));
    assertTrue(lines.get(0).contains(Account.Deposited.class.getName()), lines.get(0));
    assertTrue(lines.get(5).trim().startsWith("8 "), lines.get(5));
  }

  @Test
  void eventsAsJsonUseTheExportFormat() throws Exception {
    Run run = cairn("--dir", data.toString(), "events", "account-2", "--json");

    assertEquals(0, run.exitCode(), run.err());
    List<JsonNode> events = new ArrayList<>();
    for (String line : run.lines()) events.add(JSON.readTree(line));
    assertEquals(3, events.size());
    JsonNode first = events.get(0);
    assertEquals("account-2", first.get("persistenceId").asText());
    assertEquals(1, first.get("seqNr").asLong());
    assertEquals(100, first.get("payload").get("amount").asLong());
    assertEquals("large", first.get("tags").get(0).asText());
    assertEquals("cbor", first.get("encoding").asText());
    assertTrue(first.get("writerUuid").asText().length() > 0);
    assertTrue(first.get("timestamp").asLong() > 0);
  }

  @Test
  void eventsOfAnUnknownIdIsNotFound() {
    Run run = cairn("--dir", data.toString(), "events", "nobody");

    assertEquals(ExitCodes.NOT_FOUND, run.exitCode());
    assertTrue(run.err().contains("Persistence id 'nobody' has no events"), run.err());
    assertEquals("", run.out());
  }

  @Test
  void invalidRangeIsAUsageError() {
    Run run = cairn("--dir", data.toString(), "events", "account-1", "--from", "0");

    assertEquals(ExitCodes.USAGE, run.exitCode());
    assertTrue(run.err().contains("'--from' must be >= 1, was [0]"), run.err());
  }

  @Test
  void missingArgumentAndUnknownCommandAreUsageErrors() {
    assertEquals(ExitCodes.USAGE, cairn("events").exitCode());
    assertEquals(ExitCodes.USAGE, cairn("frobnicate").exitCode());
    assertEquals(ExitCodes.USAGE, cairn().exitCode());
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : List.of("ids", "events", "stats", "verify", "backup", "restore",
        "export", "import", "quarantine")) {
      Run run = cairn(command, "--help");
      assertEquals(0, run.exitCode(), command);
      assertTrue(run.out().startsWith("Usage: cairn " + command), command + ": " + run.out());
    }
    Run run = cairn("quarantine", "show", "--help");
    assertTrue(run.out().startsWith("Usage: cairn quarantine show"), run.out());
    assertTrue(cairn("--help").out().contains("Exit codes:"));
  }

  @Test
  void statsSummarizesTheJournal() {
    Run run = cairn("--dir", data.toString(), "stats", "--per-id");

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("persistence ids:   3"), run.out());
    assertTrue(run.out().contains("events:            22"), run.out());
    assertTrue(run.out().contains("highest seqNr:     12"), run.out());
    // snapshots every 5 events, two kept: account-1 (5, 10), account-3 (5)
    assertTrue(run.out().contains("snapshots:         3"), run.out());
    assertTrue(run.out().lines().anyMatch(l -> l.matches("account-1\\s+12\\s+12\\s+0\\s+2")),
        run.out());
  }

  @Test
  void verifyOfAnIntactJournalIsOk() {
    Run run = cairn("--dir", data.toString(), "verify");

    assertEquals(0, run.exitCode(), run.out() + run.err());
    assertTrue(run.out().startsWith("OK: 3 persistence ids, 22 events, 3 snapshots checked"),
        run.out());
  }

  @Test
  void verifyListsEveryProblemAndExitsWithOne() throws Exception {
    Path damaged = tmp.resolve("damaged");
    Files.createDirectories(damaged);
    Path journal = StoreDirectories.inDataDir(damaged).journalDir();
    TestJournals.copyJournal(StoreDirectories.inDataDir(data).journalDir(), journal, (k, v) -> {
      if (Format.keyKind(k) != KeyKind.EVENT) return v;
      String pid = Format.keyName(k);
      long seq = Format.keyNumber(k);
      if (pid.equals("account-3") && seq == 4) return null; // a gap
      if (pid.equals("account-1") && (seq == 2 || seq == 9)) {
        byte[] flipped = v.clone();
        flipped[flipped.length / 2] ^= 0x10; // two damaged records
        return flipped;
      }
      return v;
    });

    Run run = cairn("--dir", damaged.toString(), "verify");

    assertEquals(ExitCodes.PROBLEMS_FOUND, run.exitCode(), run.out() + run.err());
    List<String> lines = run.lines();
    assertEquals(2, lines.stream().filter(l -> l.startsWith("CHECKSUM_MISMATCH")
        && l.contains("account-1")).count(), run.out());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("SEQUENCE_GAP")
        && l.contains("account-3") && l.contains("#4")), run.out());
    assertTrue(lines.get(lines.size() - 1).startsWith("3 problems found"), run.out());
  }

  @Test
  void readingADamagedRecordSaysWhichAndExitsCorrupt() {
    Path damaged = tmp.resolve("damaged");
    TestJournals.copyJournal(StoreDirectories.inDataDir(data).journalDir(), damaged, (k, v) -> {
      if (Format.keyKind(k) == KeyKind.EVENT && Format.keyName(k).equals("account-2")
          && Format.keyNumber(k) == 2) {
        byte[] flipped = v.clone();
        flipped[flipped.length - 6] ^= 0x01;
        return flipped;
      }
      return v;
    });

    Run run = cairn("--dir", damaged.toString(), "events", "account-2");

    assertEquals(ExitCodes.CORRUPT, run.exitCode(), run.err());
    assertTrue(run.err().contains("account-2"), run.err());
  }

  @Test
  void backupVerifyAndRestoreEndToEnd() {
    Path archive = tmp.resolve("backup.zip");
    Path restored = tmp.resolve("restored");

    Run backup = cairn("--dir", data.toString(), "backup", archive.toString());
    Run verify = cairn("verify", "--archive", archive.toString());
    Run restore = cairn("restore", archive.toString(), restored.toString());

    assertEquals(0, backup.exitCode(), backup.err());
    assertTrue(backup.out().startsWith("Backed up 3 persistence ids, 22 events, 3 snapshots"),
        backup.out());
    assertEquals(0, verify.exitCode(), verify.err());
    assertTrue(verify.out().startsWith("OK: archive"), verify.out());
    assertEquals(0, restore.exitCode(), restore.err());
    assertTrue(restore.out().startsWith("Restored 3 persistence ids, 22 events, 3 snapshots"),
        restore.out());
    assertEquals(cairn("--dir", data.toString(), "events", "account-1", "--json").out(),
        cairn("--dir", restored.toString(), "events", "account-1", "--json").out());
    assertEquals(TestJournals.balance("account-1"),
        TestJournals.recoveredBalance(restored, "account-1"));
  }

  @Test
  void restoreIntoANonEmptyDirectoryIsRefused() throws Exception {
    Path archive = tmp.resolve("backup.zip");
    assertEquals(0, cairn("--dir", data.toString(), "backup", archive.toString()).exitCode());
    Path occupied = Files.createDirectories(tmp.resolve("occupied"));
    Files.writeString(occupied.resolve("keep.txt"), "mine");

    Run run = cairn("restore", archive.toString(), occupied.toString());

    assertEquals(ExitCodes.REFUSED, run.exitCode());
    assertTrue(run.err().contains("is not empty"), run.err());
    assertEquals("mine", Files.readString(occupied.resolve("keep.txt")));
  }

  @Test
  void tamperedArchiveIsRejectedAsCorrupt() throws Exception {
    Path archive = tmp.resolve("backup.zip");
    assertEquals(0, cairn("--dir", data.toString(), "backup", archive.toString()).exitCode());
    Path tampered = tmp.resolve("tampered.zip");
    try (ZipFile in = new ZipFile(archive.toFile());
        ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(tampered))) {
      for (ZipEntry e : java.util.Collections.list(in.entries())) {
        byte[] bytes = in.getInputStream(e).readAllBytes();
        if (e.getName().equals("journal.kv")) bytes[bytes.length - 20] ^= 0x01;
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(bytes);
        out.closeEntry();
      }
    }

    Run verify = cairn("verify", "--archive", tampered.toString());
    Run restore = cairn("restore", tampered.toString(), tmp.resolve("r").toString());

    assertEquals(ExitCodes.CORRUPT, verify.exitCode());
    assertTrue(verify.err().contains("journal.kv"), verify.err());
    assertEquals(ExitCodes.CORRUPT, restore.exitCode());
    assertFalse(Files.exists(tmp.resolve("r")));
  }

  @Test
  void missingJournalDirectoryIsNotFound() {
    Run run = cairn("--dir", tmp.resolve("nowhere").toString(), "ids");

    assertEquals(ExitCodes.NOT_FOUND, run.exitCode());
    assertTrue(run.err().contains("does not exist; check --dir"), run.err());
    assertFalse(Files.exists(tmp.resolve("nowhere")), "a read command must not create it");
  }

  @Test
  void missingArchiveIsNotFound() {
    Run run = cairn("restore", tmp.resolve("none.zip").toString(), tmp.resolve("x").toString());

    assertEquals(ExitCodes.NOT_FOUND, run.exitCode());
    assertTrue(run.err().contains("does not exist"), run.err());
  }

  @Test
  void journalLockedByAnotherProcessGivesAClearMessage() throws Exception {
    Path journal = StoreDirectories.inDataDir(data).journalDir();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        HoldJournalLock.class.getName(), journal.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try {
      BufferedReader fromHolder = new BufferedReader(
          new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("locked", fromHolder.readLine());

      Run ids = cairn("--dir", data.toString(), "ids");
      Run backup = cairn("--dir", data.toString(), "backup", tmp.resolve("b.zip").toString());

      assertEquals(ExitCodes.IN_USE, ids.exitCode());
      assertTrue(ids.err().contains("journal directory " + journal
          + " is in use by another process (is the service running?)"), ids.err());
      assertEquals(ExitCodes.IN_USE, backup.exitCode());
      assertFalse(Files.exists(tmp.resolve("b.zip")));
    } finally {
      holder.getOutputStream().close();
      holder.waitFor();
    }
  }

  @Test
  void exportThenImportIntoAnotherDirectoryKeepsEveryEvent() throws Exception {
    Path export = tmp.resolve("export.jsonl");
    Path target = tmp.resolve("imported");

    Run exported = cairn("--dir", data.toString(), "export", "--out", export.toString());
    Run imported = cairn("--dir", target.toString(), "import", export.toString());

    assertEquals(0, exported.exitCode(), exported.err());
    assertTrue(exported.out().startsWith("Exported 22 events of 3 persistence ids (2 snapshots)"),
        exported.out());
    // the newest snapshots of account-1 (at 10) and account-3 (at 5) come before their events
    assertEquals(24, Files.readAllLines(export).size());
    assertEquals(0, imported.exitCode(), imported.err());
    assertTrue(imported.out().startsWith("Imported 22 events of 3 persistence ids (2 snapshots)"),
        imported.out());
    // every field is equal, the original event times included (Cairn's journal keeps a given timestamp)
    for (String id : TestJournals.DEPOSITS.keySet()) {
      String original = cairn("--dir", data.toString(), "events", id, "--json").out();
      assertFalse(original.isBlank(), id);
      assertEquals(original, cairn("--dir", target.toString(), "events", id, "--json").out(), id);
    }
    assertEquals(TestJournals.balance("account-3"),
        TestJournals.recoveredBalance(target, "account-3"));
  }

  @Test
  void exportThenImportOfAnIdWithDeletedEventsRecoversTheSameBalance() throws Exception {
    Path source = tmp.resolve("deleting");
    TestJournals.writeDeleting(source, 17); // snapshots at 10 and 15, events 1..5 deleted
    Path export = tmp.resolve("export.jsonl");
    Path target = tmp.resolve("imported");

    Run exported = cairn("--dir", source.toString(), "export", "--out", export.toString());
    Run imported = cairn("--dir", target.toString(), "import", export.toString());

    assertEquals(0, exported.exitCode(), exported.err());
    assertTrue(Files.readAllLines(export).get(0).contains("\"kind\":\"deleted\""),
        Files.readAllLines(export).get(0));
    assertEquals(0, imported.exitCode(), imported.err());
    assertTrue(imported.out().startsWith("Imported 12 events of 1 persistence ids (1 snapshots)"),
        imported.out());
    assertEquals(0, cairn("--dir", target.toString(), "verify").exitCode());
    assertEquals(cairn("--dir", source.toString(), "events", "account-d", "--json").out(),
        cairn("--dir", target.toString(), "events", "account-d", "--json").out());
    // events, highest and deleted-to as in the source (the source keeps 2 snapshots, the export 1)
    assertEquals(List.of("account-d", "12", "17", "5"), perIdStats(source, "account-d"));
    assertEquals(perIdStats(source, "account-d"), perIdStats(target, "account-d"));
    assertEquals(17 * 18 / 2, TestJournals.recoveredBalance(target, "account-d"));
  }

  private static List<String> perIdStats(Path dir, String id) {
    Run stats = cairn("--dir", dir.toString(), "stats", "--per-id");
    assertEquals(0, stats.exitCode(), stats.err());
    String line = stats.lines().stream().filter(l -> l.startsWith(id + " ")).findFirst()
        .orElseThrow(() -> new AssertionError(stats.out()));
    return List.of(line.trim().split("\\s+")).subList(0, 4);
  }

  @Test
  void importOfDeletedEventsExportedWithoutSnapshotsIsRefused() throws Exception {
    Path source = tmp.resolve("deleting");
    TestJournals.writeDeleting(source, 17);
    Path export = tmp.resolve("export.jsonl");
    Path target = tmp.resolve("imported");
    assertEquals(0, cairn("--dir", source.toString(), "export", "--no-snapshots", "--out",
        export.toString()).exitCode());

    Run run = cairn("--dir", target.toString(), "import", export.toString());

    assertEquals(ExitCodes.REFUSED, run.exitCode(), run.err());
    assertTrue(run.err().contains("would recover a wrong state"), run.err());
    assertEquals("", cairn("--dir", target.toString(), "ids").out());
  }

  @Test
  void exportToStandardOutputKeepsTheSummaryOnStandardError() throws Exception {
    Run run = cairn("--dir", data.toString(), "export", "--id", "account-2");

    assertEquals(0, run.exitCode(), run.err());
    assertEquals(3, run.lines().size());
    for (String line : run.lines()) {
      assertEquals("account-2", JSON.readTree(line).get("persistenceId").asText());
    }
    assertTrue(run.err().contains("Exported 3 events of 1 persistence ids"), run.err());
  }

  @Test
  void exportThroughTheReadJournalPluginWritesEveryIdInOrder() throws Exception {
    Path export = tmp.resolve("query.jsonl");

    Run run = cairn("--dir", data.toString(), "export", "--read-journal",
        "cairn.persistence.query.leveldb", "--out", export.toString());

    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = Files.readAllLines(export);
    assertEquals(22, lines.size());
    JsonNode first = JSON.readTree(lines.get(0));
    assertEquals("account-1", first.get("persistenceId").asText());
    assertEquals(10, first.get("payload").get("amount").asLong());
    JsonNode last = JSON.readTree(lines.get(21));
    assertEquals("account-3", last.get("persistenceId").asText());
    assertEquals(7, last.get("seqNr").asLong());
  }

  @Test
  void exportSnapshotStoreOptionNeedsTheReadJournal() {
    Run run = cairn("--dir", data.toString(), "export", "--snapshot-store",
        "cairn.persistence.snapshot-store.leveldb");

    assertEquals(ExitCodes.USAGE, run.exitCode());
    assertTrue(run.err().contains("--snapshot-store goes with --read-journal"), run.err());
    assertEquals("", run.out());
  }

  @Test
  void exportRefusesToOverwriteAFile() throws Exception {
    Path existing = Files.writeString(tmp.resolve("x.jsonl"), "old");

    Run run = cairn("--dir", data.toString(), "export", "--out", existing.toString());

    assertEquals(ExitCodes.REFUSED, run.exitCode());
    assertEquals("old", Files.readString(existing));
  }

  @Test
  void importIntoIdsThatHaveEventsIsRefused() throws Exception {
    Path export = tmp.resolve("export.jsonl");
    assertEquals(0, cairn("--dir", data.toString(), "export", "--out", export.toString())
        .exitCode());

    Run run = cairn("--dir", data.toString(), "import", export.toString());

    assertEquals(ExitCodes.REFUSED, run.exitCode());
    assertTrue(run.err().contains("already has events"), run.err());
    assertEquals(0, cairn("--dir", data.toString(), "verify").exitCode());
    assertEquals("", run.out());
  }

  @Test
  void quarantineListsAndShowsQuarantinedEvents() throws Exception {
    Path journal = tmp.resolve("q");
    TestJournals.writeQuarantined(journal);

    Run list = cairn("--dir", journal.toString(), "quarantine", "list");
    Run show = cairn("--dir", journal.toString(), "quarantine", "show", "account-9", "2");
    Run none = cairn("--dir", journal.toString(), "quarantine", "show", "account-9", "1");

    assertEquals(0, list.exitCode(), list.err());
    assertTrue(list.lines().get(0).matches("account-9\\s+#2\\s+EVENT_HANDLER\\s+"
        + "java.lang.IllegalStateException: negative deposit"), list.out());
    assertEquals("1 quarantined event", list.lines().get(1));
    assertEquals(0, show.exitCode(), show.err());
    assertTrue(show.out().contains("quarantined event #2 of 'account-9'"), show.out());
    assertTrue(show.out().contains("{\"amount\":-7}"), show.out());
    assertEquals(ExitCodes.NOT_FOUND, none.exitCode());
  }
}
