package dev.cairn.persistence.backup.internal;

import dev.cairn.persistence.leveldb.internal.StoreOptions;

/** INTERNAL API. The storage bridge backup and restore use. */
public final class StorageBridges {
  private StorageBridges() {}

  private static final StorageBridge CURRENT = new LevelDbBridge(StoreOptions.defaults());

  public static StorageBridge current() {
    return CURRENT;
  }
}
