package dev.cairn.persistence.leveldb.internal;

import dev.cairn.persistence.leveldb.JournalStorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A plugin's hold on its directory: the open store, or the reason it could not be opened. A
 * plugin that cannot open its directory still starts, and every operation fails with that clear
 * error (so each actor's own failure handling sees it) instead of the plugin failing to start.
 */
final class PluginStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PluginStore.class);
  private final StoreLease lease;
  private final JournalStorageException failure;

  private PluginStore(StoreLease lease, JournalStorageException failure) {
    this.lease = lease;
    this.failure = failure;
  }

  /** Opens (or shares) the directory of {@code settings}; {@code what} names the plugin in the log. */
  static PluginStore open(PluginSettings settings, String what) {
    try {
      return new PluginStore(LevelDbStores.acquire(settings.dir(), settings.storeOptions()), null);
    } catch (JournalStorageException e) {
      log.error("Cairn LevelDB {} cannot open {}: {}", what, settings.dir(), e.getMessage());
      return new PluginStore(null, e);
    }
  }

  /** The open store; throws the opening failure when there is none. */
  LevelDbStore store() {
    if (failure != null) throw failure;
    return lease.store();
  }

  @Override
  public void close() {
    if (lease != null) lease.close();
  }
}
