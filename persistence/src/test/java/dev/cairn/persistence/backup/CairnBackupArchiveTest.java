package dev.cairn.persistence.backup;

import static dev.cairn.persistence.backup.ArchiveFixtures.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.iq80.leveldb.DB;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive format and the untrusted-archive checks, on plain LevelDB stores. */
class CairnBackupArchiveTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  private StoreDirectories source;
  private Path archive;

  @BeforeEach
  void createSource() throws IOException {
    source = StoreDirectories.inDataDir(tmp.resolve("source"));
    ArchiveFixtures.fillJournal(source.journalDir(), Map.of("a", 1_500, "b", 500));
    ArchiveFixtures.fillSnapshots(source.snapshotDir(),
        Map.of("a", List.of(100L, 200L, 300L, 1_000L), "b", List.of(10L, 20L, 500L)));
    archive = tmp.resolve("backup.zip");
  }

  @Test
  void restoreReproducesEveryPairOfJournalAndSnapshotStore() throws IOException {
    CairnBackup.backup(source, archive);
    Path target = tmp.resolve("restored");

    CairnBackup.restore(archive, target);

    StoreDirectories restored = StoreDirectories.inDataDir(target);
    assertEquals(ArchiveFixtures.contents(source.journalDir()),
        ArchiveFixtures.contents(restored.journalDir()));
    assertEquals(ArchiveFixtures.contents(source.snapshotDir()),
        ArchiveFixtures.contents(restored.snapshotDir()));
    // events, one persistence id record each, the format version record
    assertEquals(2_000 + 2 + 1, ArchiveFixtures.contents(restored.journalDir()).size());
  }

  @Test
  void manifestDeclaresRecordCountsAndChecksumsOfEveryEntry() throws Exception {
    BackupManifest written = CairnBackup.backup(source, archive);

    BackupManifest verified = CairnBackup.verify(archive);

    assertEquals(written, verified);
    assertEquals(CairnBackup.FORMAT_VERSION, verified.formatVersion());
    assertEquals(BackupMode.OFFLINE, verified.mode());
    assertEquals(2_003, verified.entry("journal.kv").orElseThrow().records());
    assertEquals(7 + 1, verified.entry("snapshots.kv").orElseThrow().records());
    assertEquals(List.of(new PersistenceIdSummary("a", 1_500, 1_500, 4, 1_000),
        new PersistenceIdSummary("b", 500, 500, 3, 500)), verified.persistenceIds());
    assertEquals(2_000, verified.totalEvents());
    assertEquals(7, verified.totalSnapshots());
    Map<String, byte[]> entries = ArchiveFixtures.entries(archive);
    for (ArchiveEntry e : verified.entries()) {
      byte[] data = entries.get(e.name());
      assertEquals(data.length, e.bytes());
      assertEquals(HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(data)), e.sha256());
    }
    assertEquals(List.of("journal.kv", "snapshots.kv", "manifest.json"),
        List.copyOf(entries.keySet()));
  }

  @Test
  void tamperedEntryIsRejectedBeforeAnythingIsWritten() throws IOException {
    CairnBackup.backup(source, archive);
    Path tampered = tmp.resolve("tampered.zip");
    ArchiveFixtures.rewrite(archive, tampered, "journal.kv", data -> {
      // one changed character inside an event payload: same length, framing intact
      String text = new String(data, java.nio.charset.StandardCharsets.ISO_8859_1);
      int at = text.indexOf("a event 700");
      byte[] copy = data.clone();
      copy[at + "a event ".length()] = '8';
      return copy;
    });
    Path target = tmp.resolve("restored");

    ArchiveCorruptException e = assertThrows(ArchiveCorruptException.class,
        () -> CairnBackup.restore(tampered, target));

    assertTrue(e.getMessage().contains("fails its checksum"), e.getMessage());
    assertTrue(e.getMessage().contains("journal.kv"), e.getMessage());
    assertNothingWritten(target);
    assertThrows(ArchiveCorruptException.class, () -> CairnBackup.verify(tampered));
  }

  @Test
  void truncatedEntryIsRejected() throws IOException {
    CairnBackup.backup(source, archive);
    Path truncated = tmp.resolve("truncated.zip");
    ArchiveFixtures.rewrite(archive, truncated, "journal.kv",
        data -> java.util.Arrays.copyOf(data, data.length - 100));

    ArchiveCorruptException e = assertThrows(ArchiveCorruptException.class,
        () -> CairnBackup.restore(truncated, tmp.resolve("restored")));

    assertTrue(e.getMessage().contains("journal.kv"), e.getMessage());
    assertNothingWritten(tmp.resolve("restored"));
  }

  @Test
  void entryEscapingTheTargetIsRejected() throws IOException {
    CairnBackup.backup(source, archive);
    Map<String, byte[]> entries = ArchiveFixtures.entries(archive);
    entries.put("../../evil.sh", bytes("#!/bin/sh\necho owned\n"));
    Path slip = tmp.resolve("slip.zip");
    ArchiveFixtures.writeZip(slip, entries);
    Path target = tmp.resolve("a").resolve("restored");

    UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class,
        () -> CairnBackup.restore(slip, target));

    assertTrue(e.getMessage().contains("escapes the target directory"), e.getMessage());
    assertTrue(e.getMessage().contains("../../evil.sh"), e.getMessage());
    assertNothingWritten(target);
    assertFalse(Files.exists(tmp.resolve("evil.sh")));
  }

  @Test
  void linkEntryIsRejected() throws IOException {
    CairnBackup.backup(source, archive);
    Path linked = tmp.resolve("linked.zip");
    Files.copy(archive, linked);
    ArchiveFixtures.markAsSymlink(linked, "snapshots.kv");

    UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class,
        () -> CairnBackup.restore(linked, tmp.resolve("restored")));

    assertTrue(e.getMessage().contains("link entry 'snapshots.kv'"), e.getMessage());
    assertNothingWritten(tmp.resolve("restored"));
  }

  @Test
  void absurdDeclaredSizeIsRejectedBeforeReadingData() throws IOException {
    CairnBackup.backup(source, archive);
    Path absurd = tmp.resolve("absurd.zip");
    ArchiveFixtures.rewrite(archive, absurd, "manifest.json", json -> {
      try {
        ObjectNode root = (ObjectNode) JSON.readTree(json);
        ((ObjectNode) root.get("entries").get(0)).put("bytes", 1L << 50);
        return JSON.writeValueAsBytes(root);
      } catch (IOException ex) {
        throw new IllegalStateException(ex);
      }
    });

    UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class,
        () -> CairnBackup.restore(absurd, tmp.resolve("restored")));

    assertTrue(e.getMessage().contains("maxEntryBytes"), e.getMessage());
    assertNothingWritten(tmp.resolve("restored"));
  }

  @Test
  void recordLargerThanTheLimitIsRejected() throws IOException {
    CairnBackup.backup(source, archive);
    BackupOptions strict =
        BackupOptions.defaults().withLimits(ArchiveLimits.defaults().withMaxValueBytes(8));

    UnsafeArchiveException e = assertThrows(UnsafeArchiveException.class,
        () -> CairnBackup.restore(archive, tmp.resolve("restored"), strict));

    assertTrue(e.getMessage().contains("above the limit of [8]"), e.getMessage());
    assertNothingWritten(tmp.resolve("restored"));
  }

  @Test
  void unexpectedEntryIsRejected() throws IOException {
    CairnBackup.backup(source, archive);
    Map<String, byte[]> entries = ArchiveFixtures.entries(archive);
    entries.put("README", bytes("hello"));
    Path extra = tmp.resolve("extra.zip");
    ArchiveFixtures.writeZip(extra, entries);

    UnsafeArchiveException e =
        assertThrows(UnsafeArchiveException.class, () -> CairnBackup.verify(extra));

    assertTrue(e.getMessage().contains("unexpected entry 'README'"), e.getMessage());
  }

  @Test
  void archiveOfAnotherFormatVersionIsRefused() throws IOException {
    CairnBackup.backup(source, archive);
    Path future = tmp.resolve("future.zip");
    ArchiveFixtures.rewrite(archive, future, "manifest.json", json -> {
      try {
        ObjectNode root = (ObjectNode) JSON.readTree(json);
        root.put("formatVersion", 99);
        return JSON.writeValueAsBytes(root);
      } catch (IOException ex) {
        throw new IllegalStateException(ex);
      }
    });

    UnsupportedArchiveVersionException e = assertThrows(
        UnsupportedArchiveVersionException.class, () -> CairnBackup.verify(future));

    assertTrue(e.getMessage().contains("[99]"), e.getMessage());
  }

  @Test
  void manifestWhoseTotalsDisagreeWithItsListIsCorrupt() throws IOException {
    CairnBackup.backup(source, archive);
    Path edited = tmp.resolve("edited.zip");
    ArchiveFixtures.rewrite(archive, edited, "manifest.json", json -> {
      try {
        ObjectNode root = (ObjectNode) JSON.readTree(json);
        root.put("totalEvents", 1);
        return JSON.writeValueAsBytes(root);
      } catch (IOException ex) {
        throw new IllegalStateException(ex);
      }
    });

    ArchiveCorruptException e =
        assertThrows(ArchiveCorruptException.class, () -> CairnBackup.verify(edited));

    assertTrue(e.getMessage().contains("totals do not match"), e.getMessage());
  }

  @Test
  void fileThatIsNotAnArchiveIsCorrupt() throws IOException {
    Path text = tmp.resolve("notes.txt");
    Files.writeString(text, "this is not a zip file, just some text long enough");

    ArchiveCorruptException e =
        assertThrows(ArchiveCorruptException.class, () -> CairnBackup.verify(text));

    assertTrue(e.getMessage().contains("not a Cairn backup archive"), e.getMessage());
  }

  @Test
  void missingArchiveIsNotFound() {
    assertThrows(ArchiveNotFoundException.class,
        () -> CairnBackup.verify(tmp.resolve("nope.zip")));
  }

  @Test
  void restoreRefusesANonEmptyTarget() throws IOException {
    CairnBackup.backup(source, archive);
    Path target = Files.createDirectories(tmp.resolve("occupied"));
    Files.writeString(target.resolve("precious.txt"), "keep me");

    RestoreTargetNotEmptyException e = assertThrows(RestoreTargetNotEmptyException.class,
        () -> CairnBackup.restore(archive, target));

    assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
    assertEquals("keep me", Files.readString(target.resolve("precious.txt")));
    try (Stream<Path> children = Files.list(target)) {
      assertEquals(1, children.count());
    }
  }

  @Test
  void restoreRefusesADirectoryHoldingAJournal() throws IOException {
    CairnBackup.backup(source, archive);
    Path live = tmp.resolve("source");
    Map<String, String> before = ArchiveFixtures.contents(source.journalDir());

    RestoreTargetNotEmptyException e = assertThrows(RestoreTargetNotEmptyException.class,
        () -> CairnBackup.restore(archive, live));

    assertTrue(e.getMessage().contains("it holds a LevelDB store"), e.getMessage());
    assertEquals(before, ArchiveFixtures.contents(source.journalDir()));
  }

  @Test
  void restoreFillsAnExistingEmptyDirectory() throws IOException {
    CairnBackup.backup(source, archive);
    Path target = Files.createDirectories(tmp.resolve("empty"));

    CairnBackup.restore(archive, target);

    assertEquals(ArchiveFixtures.contents(source.snapshotDir()),
        ArchiveFixtures.contents(target.resolve("snapshots")));
  }

  @Test
  void backupRefusesToOverwriteAnExistingArchive() throws IOException {
    Files.writeString(archive, "an older backup");

    BackupException e =
        assertThrows(BackupException.class, () -> CairnBackup.backup(source, archive));

    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertEquals("an older backup", Files.readString(archive));
  }

  @Test
  void backupOfAMissingJournalSaysNotFound() {
    StoreDirectories missing = StoreDirectories.inDataDir(tmp.resolve("nothing-here"));

    JournalNotFoundException e = assertThrows(JournalNotFoundException.class,
        () -> CairnBackup.backup(missing, archive));

    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    assertFalse(Files.exists(archive));
  }

  @Test
  void backupOfALockedJournalSaysItIsInUse() throws IOException {
    try (DB held = ArchiveFixtures.open(source.journalDir())) {
      JournalInUseException e = assertThrows(JournalInUseException.class,
          () -> CairnBackup.backup(source, archive));

      assertTrue(e.getMessage().contains("is in use by another process (is the service running?)"),
          e.getMessage());
      assertTrue(held.get(dev.cairn.persistence.leveldb.internal.Format.eventKey("a", 1)) != null);
    }
    assertFalse(Files.exists(archive));
  }

  private void assertNothingWritten(Path target) throws IOException {
    assertFalse(Files.exists(target), "target " + target + " must not exist");
    Path parent = target.getParent();
    if (Files.exists(parent)) {
      try (Stream<Path> siblings = Files.list(parent)) {
        assertEquals(List.of(), siblings
            .filter(p -> p.getFileName().toString().contains(".restore-")).toList());
      }
    }
  }
}
