package dev.cairn.persistence.leveldb.internal;

import dev.cairn.persistence.leveldb.DirectoryNotWritableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process-wide registry of open LevelDB directories, keyed by canonical path and
 * reference-counted: the journal and the snapshot store configured with the same {@code dir}
 * share one database instead of fighting over LevelDB's lock, and an online backup finds the
 * database the plugin has open and reads a consistent snapshot of it while actors keep
 * writing.
 */
public final class LevelDbStores {
  private static final Logger log = LoggerFactory.getLogger(LevelDbStores.class);
  private static final Map<Path, LevelDbStore> openStores = new HashMap<>();

  private LevelDbStores() {}

  /**
   * Opens {@code dir} (creating it when missing), or shares the database this process already
   * has open there. Throws {@link dev.cairn.persistence.leveldb.DirectoryInUseException} when
   * another process holds it. Close the lease when done.
   */
  public static synchronized StoreLease acquire(Path dir, StoreOptions options) {
    Path key = canonical(dir, true);
    LevelDbStore s = openStores.get(key);
    if (s == null) {
      s = LevelDbStore.open(key, options);
      openStores.put(key, s);
    } else if (!s.options().equals(options)) {
      log.info("LevelDB directory {} is already open in this process with {}; sharing it (requested {})",
          key, s.options(), options);
    }
    s.refCount++;
    return new StoreLease(s);
  }

  /**
   * The database this process already has open in {@code dir} (for an online backup), or empty
   * when it is not open here. The returned lease keeps it open until closed.
   */
  public static synchronized Optional<StoreLease> acquireIfOpen(Path dir) {
    Path key = canonical(dir, false);
    LevelDbStore s = key == null ? null : openStores.get(key);
    if (s == null) return Optional.empty();
    s.refCount++;
    return Optional.of(new StoreLease(s));
  }

  /** True when this process has {@code dir} open. */
  public static synchronized boolean isOpen(Path dir) {
    Path key = canonical(dir, false);
    return key != null && openStores.containsKey(key);
  }

  static synchronized void release(LevelDbStore s) {
    if (--s.refCount == 0) {
      openStores.remove(s.directory());
      s.close();
    }
  }

  /**
   * Creates a new database in {@code dir} (which must be missing or empty) for restoring raw
   * key/value pairs from a backup. The format version key is written at once.
   */
  public static RawRestore createForRestore(Path dir, StoreOptions options) {
    Path key = canonical(dir, true);
    if (Files.exists(key)) try (var list = Files.list(key)) {
      if (list.findAny().isPresent()) {
        throw new DirectoryNotWritableException(key, "restore target must be an empty directory", null);
      }
    } catch (IOException e) {
      throw new DirectoryNotWritableException(key, "cannot list it: " + e, e);
    }
    synchronized (LevelDbStores.class) {
      if (openStores.containsKey(key)) {
        throw new DirectoryNotWritableException(key, "it is open in this process", null);
      }
    }
    return new RawRestore(LevelDbStore.open(key, options));
  }

  /**
   * Verifies a directory and reports every problem, including a missing or unsupported format
   * version (which {@link #acquire} refuses with an exception). Uses the database this process
   * has open there, if any; otherwise opens it just for the scan (respecting LevelDB's lock:
   * {@link dev.cairn.persistence.leveldb.DirectoryInUseException} when another process holds it).
   */
  public static VerifyReport verify(Path dir, StoreOptions options) {
    Optional<StoreLease> open = acquireIfOpen(dir);
    if (open.isPresent()) {
      try (StoreLease lease = open.get()) {
        return lease.store().verify();
      }
    }
    Path key = canonical(dir, false);
    if (key == null || !Files.isDirectory(key)) {
      throw new DirectoryNotWritableException(dir.toAbsolutePath(), "it does not exist", null);
    }
    LevelDbStore s;
    synchronized (LevelDbStores.class) {
      if (openStores.containsKey(key)) return verify(dir, options);
      s = LevelDbStore.open(key, options, false);
    }
    try {
      return s.verify();
    } finally {
      s.close();
    }
  }

  private static Path canonical(Path dir, boolean create) {
    Path abs = dir.toAbsolutePath().normalize();
    if (create && !Files.exists(abs)) {
      // create it first so that its canonical path (symlinks resolved) is known
      try {
        Files.createDirectories(abs.getParent() == null ? abs : abs.getParent());
      } catch (IOException e) {
        throw new DirectoryNotWritableException(abs, "cannot create its parent: " + e, e);
      }
      try {
        return abs.getParent() == null ? abs : abs.getParent().toRealPath().resolve(abs.getFileName());
      } catch (IOException e) {
        return abs;
      }
    }
    try {
      return abs.toRealPath();
    } catch (IOException e) {
      return create ? abs : null;
    }
  }
}
