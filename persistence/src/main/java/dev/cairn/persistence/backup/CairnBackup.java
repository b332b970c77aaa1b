package dev.cairn.persistence.backup;

import dev.cairn.persistence.backup.internal.ArchiveFormat;
import dev.cairn.persistence.backup.internal.ArchiveReader;
import dev.cairn.persistence.backup.internal.ArchiveWriter;
import dev.cairn.persistence.backup.internal.KvFrames;
import dev.cairn.persistence.backup.internal.StorageBridge;
import dev.cairn.persistence.backup.internal.StorageBridges;
import dev.cairn.persistence.backup.internal.StoreStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backup, verify and restore of a Cairn LevelDB journal and snapshot store.
 *
 * <p>A backup is one archive file: a zip holding every raw key/value pair of the journal and of
 * the snapshot store plus a {@code manifest.json} (format version, per persistence id event and
 * snapshot counts and highest sequence numbers, size, record count and SHA-256 of every entry).
 * The snapshot store is read first and the journal second, each under one LevelDB read snapshot,
 * so the archive is a consistent cut in which every snapshot has its events.
 *
 * <p>When the journal is open in this process (a running actor system uses Cairn's LevelDB
 * plugin), the backup reads it online while actors keep writing. Otherwise it opens the
 * directories itself; a directory locked by another process fails with
 * {@link JournalInUseException}.
 *
 * <p>Restore treats the archive as untrusted. It checks the whole archive (entry names, links,
 * sizes, counts, manifest, every checksum) before writing anything, builds the stores in a
 * temporary sibling directory and renames it into place only when complete.
 */
public final class CairnBackup {
  private static final Logger log = LoggerFactory.getLogger(CairnBackup.class);

  /** The archive format version this version of Cairn writes and reads. */
  public static final int FORMAT_VERSION = ArchiveFormat.FORMAT_VERSION;

  private CairnBackup() {}

  /** {@link #backup(StoreDirectories, Path, BackupOptions)} with default options. */
  public static BackupManifest backup(StoreDirectories source, Path archive) {
    return backup(source, archive, BackupOptions.defaults());
  }

  /**
   * Writes a consistent backup of {@code source} to the new file {@code archive}.
   *
   * @return the manifest written into the archive
   * @throws JournalNotFoundException when the journal directory does not exist
   * @throws JournalInUseException when a directory is locked by another process
   * @throws BackupException when the archive exists already or writing fails
   */
  public static BackupManifest backup(
      StoreDirectories source, Path archive, BackupOptions options) {
    StorageBridge bridge = StorageBridges.current();
    if (Files.exists(archive, LinkOption.NOFOLLOW_LINKS)) {
      throw new BackupException("Archive " + archive
          + " already exists; choose another file name or remove it first");
    }
    for (int attempt = 1; ; attempt++) {
      Path tmp = sibling(archive, ".partial-");
      try {
        createParent(archive);
        Attempt result = write(bridge, source, tmp, options);
        List<String> unrecoverable = result.stats.unrecoverable();
        if (result.manifest.mode() == BackupMode.ONLINE && !unrecoverable.isEmpty()) {
          // a snapshot plus deletion of the events before it landed between the two reads
          deleteQuietly(tmp);
          if (attempt < MAX_ATTEMPTS) {
            log.info("Backup of {} raced with event deletion for {}; taking it again",
                source.journalDir(), unrecoverable);
            continue;
          }
          throw new BackupException("Backup of " + source.journalDir() + " raced with event"
              + " deletion " + MAX_ATTEMPTS + " times; these ids could not be recovered from"
              + " it: " + unrecoverable + ". Run the backup again");
        }
        if (Files.exists(archive, LinkOption.NOFOLLOW_LINKS)) {
          throw new BackupException("Archive " + archive + " appeared while the backup was"
              + " written; remove it or choose another name, and run the backup again");
        }
        Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(archive.toAbsolutePath().normalize().getParent());
        BackupManifest manifest = result.manifest;
        log.info("Backup of journal {} written to {}: {} persistence ids, {} events, {}"
                + " snapshots ({})", source.journalDir(), archive,
            manifest.persistenceIds().size(), manifest.totalEvents(), manifest.totalSnapshots(),
            manifest.mode().id());
        return manifest;
      } catch (IOException e) {
        deleteQuietly(tmp);
        throw new BackupException("Backup of " + source.journalDir() + " to " + archive
            + " failed: " + e.getMessage(), e);
      } catch (RuntimeException e) {
        deleteQuietly(tmp);
        throw e;
      }
    }
  }

  private static final int MAX_ATTEMPTS = 3;

  private record Attempt(BackupManifest manifest, StoreStats stats) {}

  private static Attempt write(StorageBridge bridge, StoreDirectories source, Path tmp,
      BackupOptions options) throws IOException {
    // snapshot store first: every snapshot in the archive then has its events in the journal;
    // a snapshot store sharing the journal's directory is in the journal's view already
    try (StorageBridge.StoreView snapshots = sameDirectory(source)
            ? StorageBridge.StoreView.empty()
            : bridge.openView(source.snapshotDir(), "snapshot store", true);
        StorageBridge.StoreView journal = bridge.openView(source.journalDir(), "journal", false);
        ArchiveWriter writer = new ArchiveWriter(tmp)) {
      StoreStats stats = new StoreStats();
      KvFrames.PairSink inspector = bridge.inspector(stats);
      List<ArchiveEntry> entries = new ArrayList<>();
      ProgressListener progress = options.progress();
      KvFrames.Writer frames = writer.beginEntry(ArchiveFormat.JOURNAL);
      journal.forEach((k, v) -> {
        frames.write(k, v);
        inspector.accept(k, v);
        if ((frames.records() & 0xFFF) == 0) progress.onProgress("journal", frames.records(), -1);
      });
      progress.onProgress("journal", frames.records(), frames.records());
      entries.add(writer.endEntry());
      KvFrames.Writer snapshotFrames = writer.beginEntry(ArchiveFormat.SNAPSHOTS);
      snapshots.forEach((k, v) -> {
        snapshotFrames.write(k, v);
        inspector.accept(k, v);
        if ((snapshotFrames.records() & 0xFF) == 0) {
          progress.onProgress("snapshots", snapshotFrames.records(), -1);
        }
      });
      progress.onProgress("snapshots", snapshotFrames.records(), snapshotFrames.records());
      entries.add(writer.endEntry());
      BackupMode mode = journal.online() ? BackupMode.ONLINE : BackupMode.OFFLINE;
      BackupManifest manifest =
          new BackupManifest(FORMAT_VERSION, Instant.now(), mode, entries, stats.summaries());
      writer.finish(manifest);
      return new Attempt(manifest, stats);
    }
  }

  /** {@link #verify(Path, BackupOptions)} with default options. */
  public static BackupManifest verify(Path archive) {
    return verify(archive, BackupOptions.defaults());
  }

  /**
   * Checks an archive completely: structure, manifest, and the size, record count and SHA-256 of
   * every entry. Writes nothing.
   *
   * @return the archive's manifest when everything checks out
   * @throws ArchiveNotFoundException when the file does not exist
   * @throws ArchiveCorruptException when anything does not match (subtype
   *     {@link UnsafeArchiveException} for dangerous content)
   */
  public static BackupManifest verify(Path archive, BackupOptions options) {
    try (ArchiveReader reader = ArchiveReader.open(archive, options.limits())) {
      reader.verify(options.progress());
      return reader.manifest();
    } catch (IOException e) {
      throw new BackupException("Cannot read archive " + archive + ": " + e.getMessage(), e);
    }
  }

  /** {@link #restore(Path, Path, BackupOptions)} with default options. */
  public static BackupManifest restore(Path archive, Path targetDataDir) {
    return restore(archive, targetDataDir, BackupOptions.defaults());
  }

  /**
   * Restores an archive into {@code targetDataDir}, which must not exist or be empty. The result
   * has the layout of {@link StoreDirectories#inDataDir(Path)}.
   *
   * @return the archive's manifest
   * @throws RestoreTargetNotEmptyException when the target exists and is not empty
   * @throws ArchiveCorruptException when the archive fails any check (nothing is written)
   */
  public static BackupManifest restore(Path archive, Path targetDataDir, BackupOptions options) {
    StorageBridge bridge = StorageBridges.current();
    Path target = targetDataDir.toAbsolutePath().normalize();
    checkTarget(target);
    Path tmp = null;
    try (ArchiveReader reader = ArchiveReader.open(archive, options.limits())) {
      // the whole archive is checked before anything is written
      reader.verify((step, done, total) -> options.progress().onProgress("verify " + step,
          done, total));
      checkTarget(target);
      createParent(target);
      tmp = sibling(target, ".restore-");
      Files.createDirectory(tmp);
      StoreDirectories dirs = StoreDirectories.inDataDir(tmp);
      fill(bridge, reader, ArchiveFormat.JOURNAL, dirs.journalDir(), options.progress());
      fill(bridge, reader, ArchiveFormat.SNAPSHOTS, dirs.snapshotDir(), options.progress());
      checkTarget(target);
      // rename(2) replaces an empty directory atomically
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      syncDirectory(target.getParent());
      BackupManifest manifest = reader.manifest();
      log.info("Restored archive {} into {}: {} persistence ids, {} events, {} snapshots",
          archive, target, manifest.persistenceIds().size(), manifest.totalEvents(),
          manifest.totalSnapshots());
      return manifest;
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new BackupException("Restore of " + archive + " into " + target + " failed: "
          + e.getMessage() + ". Nothing was moved into the target", e);
    } catch (RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  private static void fill(StorageBridge bridge, ArchiveReader reader, String entry, Path dir,
      ProgressListener progress) throws IOException {
    try (StorageBridge.StoreWriter writer = bridge.create(dir)) {
      reader.read(entry, writer::put, (step, done, total) ->
          progress.onProgress("restore " + step, done, total));
      writer.finish();
    }
  }

  private static void checkTarget(Path target) {
    if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) return;
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new RestoreTargetNotEmptyException("Restore target " + target
          + " exists and is not a directory; restore only into a new or empty directory");
    }
    try (DirectoryStream<Path> children = Files.newDirectoryStream(target)) {
      if (children.iterator().hasNext()) {
        boolean locked = Files.exists(target.resolve("LOCK"))
            || Files.exists(target.resolve(StoreDirectories.JOURNAL_SUBDIR).resolve("LOCK"));
        throw new RestoreTargetNotEmptyException("Restore target " + target + " is not empty"
            + (locked ? " (it holds a LevelDB store, perhaps in use by a running service)" : "")
            + "; restore only into a new or empty directory, it never overwrites data");
      }
    } catch (IOException e) {
      throw new BackupException("Cannot inspect restore target " + target + ": "
          + e.getMessage(), e);
    }
  }

  private static boolean sameDirectory(StoreDirectories dirs) {
    Path journal = dirs.journalDir().toAbsolutePath().normalize();
    Path snapshots = dirs.snapshotDir().toAbsolutePath().normalize();
    try {
      return journal.equals(snapshots) || (Files.exists(journal) && Files.exists(snapshots)
          && Files.isSameFile(journal, snapshots));
    } catch (IOException e) {
      return false;
    }
  }

  /** Makes a rename durable (directories can be synced on Linux and macOS, not on Windows). */
  private static void syncDirectory(Path dir) {
    if (dir == null) return;
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("Cannot sync directory {}: {}", dir, e.toString());
    }
  }

  private static Path sibling(Path file, String infix) {
    Path abs = file.toAbsolutePath().normalize();
    return abs.resolveSibling("." + abs.getFileName() + infix + UUID.randomUUID());
  }

  private static void createParent(Path file) throws IOException {
    Path parent = file.toAbsolutePath().normalize().getParent();
    if (parent != null) Files.createDirectories(parent);
  }

  private static void deleteQuietly(Path path) {
    if (path == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) return;
    try (Stream<Path> walk = Files.walk(path)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      log.warn("Could not remove the temporary {}: {}", path, e.getMessage());
    }
  }
}
