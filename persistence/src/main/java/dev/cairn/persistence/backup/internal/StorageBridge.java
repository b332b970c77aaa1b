package dev.cairn.persistence.backup.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;

/**
 * INTERNAL API. What backup and restore need from the storage layer: a consistent raw view of a
 * LevelDB directory (online through the DB a running plugin holds, or offline), a way to fill a
 * new directory with raw pairs, and the meaning of keys for the manifest's summary.
 */
public interface StorageBridge {

  /** A consistent, read-only view of all raw pairs of one store. */
  interface StoreView extends Closeable {
    /** True when the store is open in this process and is read under a LevelDB read snapshot. */
    boolean online();

    void forEach(KvFrames.PairSink sink) throws IOException;

    /** A view of a store without pairs. */
    static StoreView empty() {
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
  }

  /** A new store being filled with raw pairs. */
  interface StoreWriter extends Closeable {
    void put(byte[] key, byte[] value) throws IOException;

    /** Makes everything written durable. */
    void finish() throws IOException;
  }

  /**
   * Takes a consistent view of the store in {@code dir}. {@code what} names the store in
   * messages ("journal", "snapshot store"). A missing snapshot store reads as empty when
   * {@code mayBeMissing}; a missing journal throws {@code JournalNotFoundException}; a store
   * locked by another process throws {@code JournalInUseException}.
   */
  StoreView openView(Path dir, String what, boolean mayBeMissing) throws IOException;

  /** Creates a new, empty store in {@code dir} (which must not exist yet). */
  StoreWriter create(Path dir) throws IOException;

  /**
   * A sink that records what raw pairs mean for the manifest summary (events, highest sequence
   * numbers, snapshots). One per backup; feed it the journal's pairs, then the snapshots'.
   */
  KvFrames.PairSink inspector(StoreStats stats);
}
