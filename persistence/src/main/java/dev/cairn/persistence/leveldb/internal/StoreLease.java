package dev.cairn.persistence.leveldb.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A reference to a store opened through {@link LevelDbStores}. The store stays open while any
 * lease is open; closing the last lease closes the database. Close each lease exactly once.
 */
public final class StoreLease implements AutoCloseable {
  private final LevelDbStore store;
  private final AtomicBoolean closed = new AtomicBoolean();

  StoreLease(LevelDbStore store) {
    this.store = store;
  }

  public LevelDbStore store() {
    return store;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      LevelDbStores.release(store);
    }
  }
}
