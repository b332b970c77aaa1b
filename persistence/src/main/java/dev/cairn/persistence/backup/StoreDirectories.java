package dev.cairn.persistence.backup;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a LevelDB journal and its snapshot store live.
 *
 * @param journalDir the journal plugin's {@code dir}
 * @param snapshotDir the snapshot store plugin's {@code dir}
 */
public record StoreDirectories(Path journalDir, Path snapshotDir) {
  /** Sub-directory of a data directory that holds the journal. */
  public static final String JOURNAL_SUBDIR = "journal";

  /** Sub-directory of a data directory that holds the snapshot store. */
  public static final String SNAPSHOT_SUBDIR = "snapshots";

  public StoreDirectories {
    Objects.requireNonNull(journalDir, "journalDir");
    Objects.requireNonNull(snapshotDir, "snapshotDir");
  }

  /**
   * The directories Cairn's journal and snapshot store plugins use in this configuration
   * ({@code cairn.persistence.journal.leveldb.dir} and
   * {@code cairn.persistence.snapshot-store.leveldb.dir}), e.g. {@code
   * StoreDirectories.fromConfig(system.settings().config())} for an online backup.
   */
  public static StoreDirectories fromConfig(Config config) {
    return new StoreDirectories(
        Path.of(config.getString("cairn.persistence.journal.leveldb.dir")),
        Path.of(config.getString("cairn.persistence.snapshot-store.leveldb.dir")));
  }

  /**
   * The standard layout under one data directory (such as {@code ./cairn-data}): the journal in
   * {@code journal/}, the snapshot store in {@code snapshots/}. Restore creates this layout.
   */
  public static StoreDirectories inDataDir(Path dataDir) {
    return new StoreDirectories(dataDir.resolve(JOURNAL_SUBDIR), dataDir.resolve(SNAPSHOT_SUBDIR));
  }
}
