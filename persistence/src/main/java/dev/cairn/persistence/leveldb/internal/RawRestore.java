package dev.cairn.persistence.leveldb.internal;

import dev.cairn.persistence.leveldb.JournalStorageException;
import dev.cairn.persistence.leveldb.UnsupportedFormatVersionException;
import java.io.IOException;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;

/**
 * Writes raw key/value pairs (from a backup) into a new, empty database, in batches. Call
 * {@link #finish()} to sync and check the result's format version, then {@link #close()}.
 */
public final class RawRestore implements AutoCloseable {
  private static final int BATCH_ENTRIES = 10_000;
  private final LevelDbStore store;
  private final DB db;
  private WriteBatch batch;
  private int inBatch;
  private long written;
  private boolean closed;

  RawRestore(LevelDbStore store) {
    this.store = store;
    this.db = store.db();
    this.batch = db.createWriteBatch();
  }

  public void put(byte[] key, byte[] value) {
    if (java.util.Arrays.equals(key, LevelDbStore.WAL_SEQUENCE_KEY)) return; // the source directory's write-ahead log bookkeeping
    batch.put(key, value);
    written++;
    if (++inBatch >= BATCH_ENTRIES) flush(false);
  }

  public long written() {
    return written;
  }

  private void flush(boolean sync) {
    try {
      db.write(batch, new WriteOptions().sync(sync));
      batch.close();
    } catch (IOException | RuntimeException e) {
      throw store.mapWriteError(e);
    }
    batch = db.createWriteBatch();
    inBatch = 0;
  }

  /** Writes what is buffered, syncs, and checks the restored format version. */
  public void finish() {
    flush(true);
    byte[] k = Format.formatVersionKey();
    byte[] v = db.get(k);
    if (v == null || !Format.checksumOk(k, v)) {
      throw new JournalStorageException("Restored data in " + store.directory() + " has no valid format version record");
    }
    int version = Format.decodeMetaInt(v);
    if (!Format.readable(version)) {
      throw new UnsupportedFormatVersionException(store.directory(), String.valueOf(version), Format.FORMAT_VERSION);
    }
  }

  @Override
  public void close() {
    if (closed) return;
    closed = true;
    try {
      batch.close();
    } catch (IOException e) {
      // nothing buffered matters after close
    }
    store.close();
  }
}
