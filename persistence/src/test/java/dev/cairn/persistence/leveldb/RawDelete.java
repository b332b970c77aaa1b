package dev.cairn.persistence.leveldb;

import dev.cairn.persistence.leveldb.internal.WriteContext;
import dev.cairn.persistence.leveldb.internal.WriteTask;

/** Test-only write task that removes a raw key, to simulate lost records on a live store. */
final class RawDelete extends WriteTask {
  private final byte[] key;

  RawDelete(byte[] key) {
    super(true);
    this.key = key;
  }

  @Override
  protected void prepare(WriteContext ctx) {
    ctx.delete(key);
  }

  @Override
  protected long estimatedBytes() {
    return key.length;
  }
}
