package dev.cairn.persistence.leveldb;

import dev.cairn.persistence.leveldb.internal.WriteContext;
import dev.cairn.persistence.leveldb.internal.WriteTask;

/** Test-only write task that puts raw bytes, to simulate damaged records on a live store. */
final class RawPut extends WriteTask {
  private final byte[] key;
  private final byte[] value;

  RawPut(byte[] key, byte[] value) {
    super(true);
    this.key = key;
    this.value = value;
  }

  @Override
  protected void prepare(WriteContext ctx) {
    ctx.put(key, value);
  }

  @Override
  protected long estimatedBytes() {
    return key.length + value.length;
  }
}
