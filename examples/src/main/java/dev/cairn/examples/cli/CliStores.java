package dev.cairn.examples.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cairn.persistence.backup.StoreDirectories;
import dev.cairn.persistence.backup.internal.StoreAccess;
import dev.cairn.persistence.leveldb.CairnLevelDb;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import dev.cairn.persistence.leveldb.internal.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Where the command line finds the journal, and how it opens it. */
final class CliStores {
  private CliStores() {}

  /**
   * The stores under {@code dir}: a data directory with {@code journal/} and
   * {@code snapshots/}, or a LevelDB directory itself (journal and snapshots shared).
   */
  static StoreDirectories layout(Path dir) {
    if (StoreAccess.exists(dir)) return new StoreDirectories(dir, dir);
    return StoreDirectories.inDataDir(dir);
  }

  static StoreLease openJournal(Path dir) {
    return StoreAccess.open(layout(dir).journalDir(), "journal", StoreOptions.defaults());
  }

  /** The snapshot store's lease, or null when there is none (or it is the journal's). */
  static StoreLease openSnapshots(Path dir) {
    StoreDirectories dirs = layout(dir);
    if (dirs.snapshotDir().equals(dirs.journalDir()) || !Files.exists(dirs.snapshotDir())) {
      return null;
    }
    return StoreAccess.open(dirs.snapshotDir(), "snapshot store", StoreOptions.defaults());
  }

  /**
   * Pekko configuration for a command that runs an actor system: Cairn's journal and snapshot
   * store on {@code dir}, under the optional user file.
   */
  static Config config(Path dir, Path configFile) {
    StoreDirectories dirs = layout(dir);
    Config cairn = ConfigFactory.parseMap(Map.of(
        "pekko.persistence.journal.plugin", CairnLevelDb.JOURNAL_PLUGIN_ID,
        "pekko.persistence.snapshot-store.plugin", CairnLevelDb.SNAPSHOT_PLUGIN_ID,
        "cairn.persistence.journal.leveldb.dir", dirs.journalDir().toAbsolutePath().toString(),
        "cairn.persistence.snapshot-store.leveldb.dir",
        dirs.snapshotDir().toAbsolutePath().toString()));
    Config user = ConfigFactory.empty();
    if (configFile != null) {
      if (!Files.isRegularFile(configFile)) {
        throw new CliException(ExitCodes.NOT_FOUND, "Config file " + configFile + " does not exist");
      }
      user = ConfigFactory.parseFile(configFile.toFile());
    }
    Config quiet = ConfigFactory.parseString(
        "pekko.loglevel = WARNING\npekko.stdout-loglevel = OFF\n"
            + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n");
    return user.withFallback(cairn).withFallback(quiet).withFallback(ConfigFactory.load());
  }
}
