package dev.cairn.persistence.backup.internal;

import dev.cairn.persistence.backup.JournalInUseException;
import dev.cairn.persistence.backup.JournalNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBFactory;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.ReadOptions;
import org.iq80.leveldb.Snapshot;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;

/**
 * INTERNAL API. Raw LevelDB access for backup and restore, offline only: opens the directory
 * itself (taking LevelDB's lock) with native LevelDB, or the pure-Java port where there is no
 * native build. Key meaning is unknown here, so the manifest summary stays empty.
 */
public class PlainLevelDbBridge implements StorageBridge {
  private static final int BATCH_RECORDS = 1_000;
  private static final long BATCH_BYTES = 4L << 20;

  protected DBFactory factory() {
    try {
      return org.fusesource.leveldbjni.JniDBFactory.factory;
    } catch (LinkageError e) {
      return org.iq80.leveldb.impl.Iq80DBFactory.factory;
    }
  }

  @Override
  public StoreView openView(Path dir, String what, boolean mayBeMissing) throws IOException {
    if (!Files.isDirectory(dir) || !Files.exists(dir.resolve("CURRENT"))) {
      if (mayBeMissing && !Files.exists(dir)) return emptyView();
      throw new JournalNotFoundException("The " + what + " directory " + dir
          + (Files.exists(dir) ? " is not a LevelDB store (it has no CURRENT file)"
              : " does not exist") + "; check --dir or the plugin's 'dir' setting");
    }
    DB db = open(dir, what, new Options().createIfMissing(false));
    Snapshot snapshot = db.getSnapshot();
    return new StoreView() {
      @Override
      public boolean online() {
        return false;
      }

      @Override
      public void forEach(KvFrames.PairSink sink) throws IOException {
        iterate(db, snapshot, sink);
      }

      @Override
      public void close() throws IOException {
        snapshot.close();
        db.close();
      }
    };
  }

  protected DB open(Path dir, String what, Options options) throws IOException {
    try {
      return factory().open(dir.toFile(), options);
    } catch (IOException | RuntimeException e) {
      if (isLockFailure(e)) {
        throw new JournalInUseException("The " + what + " directory " + dir
            + " is in use by another process (is the service running?). Stop it, or back up"
            + " from inside the service with CairnBackup", e);
      }
      throw e;
    }
  }

  /** LevelDB's messages for a LOCK file held elsewhere (native and pure-Java). */
  static boolean isLockFailure(Throwable e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("IO error: lock ") || m.contains("already held by process")
        || m.contains("Resource temporarily unavailable") || m.contains("Unable to acquire lock");
  }

  static void iterate(DB db, Snapshot snapshot, KvFrames.PairSink sink) throws IOException {
    try (DBIterator it = db.iterator(new ReadOptions().snapshot(snapshot).fillCache(false)
        .verifyChecksums(true))) {
      for (it.seekToFirst(); it.hasNext(); ) {
        Map.Entry<byte[], byte[]> e = it.next();
        sink.accept(e.getKey(), e.getValue());
      }
    }
  }

  static StoreView emptyView() {
    return new StoreView() {
      @Override
      public boolean online() {
        return false;
      }

      @Override
      public void forEach(KvFrames.PairSink sink) {}

      @Override
      public void close() {}
    };
  }

  @Override
  public StoreWriter create(Path dir) throws IOException {
    DB db = open(dir, "restore target", new Options().createIfMissing(true).errorIfExists(true));
    return new StoreWriter() {
      private WriteBatch batch = db.createWriteBatch();
      private int records;
      private long bytes;

      @Override
      public void put(byte[] key, byte[] value) throws IOException {
        batch.put(key, value);
        records++;
        bytes += key.length + value.length;
        if (records >= BATCH_RECORDS || bytes >= BATCH_BYTES) flush(false);
      }

      private void flush(boolean sync) throws IOException {
        db.write(batch, new WriteOptions().sync(sync));
        batch.close();
        batch = db.createWriteBatch();
        records = 0;
        bytes = 0;
      }

      @Override
      public void finish() throws IOException {
        flush(true);
      }

      @Override
      public void close() throws IOException {
        batch.close();
        db.close();
      }
    };
  }

  @Override
  public void inspectJournal(byte[] key, byte[] value, StoreStats stats) {}

  @Override
  public void inspectSnapshot(byte[] key, byte[] value, StoreStats stats) {}
}
