package dev.cairn.persistence.backup.internal;

import dev.cairn.persistence.backup.JournalInUseException;
import dev.cairn.persistence.backup.JournalNotFoundException;
import dev.cairn.persistence.leveldb.DirectoryInUseException;
import dev.cairn.persistence.leveldb.internal.LevelDbStores;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import dev.cairn.persistence.leveldb.internal.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * INTERNAL API. Opens an existing Cairn LevelDB store for tools: the database a plugin of this
 * process holds, or else the directory itself (never creating it).
 */
public final class StoreAccess {
  private StoreAccess() {}

  /** True when the store in {@code dir} is open in this process (reads are then online). */
  public static boolean isOpenHere(Path dir) {
    return LevelDbStores.isOpen(dir);
  }

  /**
   * @param what the store's name in messages ("journal", "snapshot store")
   * @throws JournalNotFoundException when {@code dir} holds no LevelDB store
   * @throws JournalInUseException when another process holds it
   */
  public static StoreLease open(Path dir, String what, StoreOptions options) {
    Optional<StoreLease> online = LevelDbStores.acquireIfOpen(dir);
    if (online.isPresent()) return online.get();
    if (!exists(dir)) {
      throw new JournalNotFoundException("The " + what + " directory " + dir
          + (Files.exists(dir) ? " is not a LevelDB store (it has no CURRENT file)"
              : " does not exist") + "; check --dir or the plugin's 'dir' setting");
    }
    try {
      return LevelDbStores.acquire(dir, options);
    } catch (DirectoryInUseException e) {
      throw new JournalInUseException("The " + what + " directory " + dir + " is in use by"
          + " another process (is the service running?). Stop the service, or work from inside"
          + " it (CairnBackup, JournalExport)", e);
    }
  }

  /** True when {@code dir} holds a LevelDB store. */
  public static boolean exists(Path dir) {
    return Files.isDirectory(dir) && Files.exists(dir.resolve("CURRENT"));
  }
}
