package dev.cairn.persistence.backup.internal;

import dev.cairn.persistence.leveldb.JournalStorageException;
import dev.cairn.persistence.leveldb.internal.CloseableIterator;
import dev.cairn.persistence.leveldb.internal.Format;
import dev.cairn.persistence.leveldb.internal.LevelDbStores;
import dev.cairn.persistence.leveldb.internal.PersistenceIdState;
import dev.cairn.persistence.leveldb.internal.RawEntry;
import dev.cairn.persistence.leveldb.internal.RawRestore;
import dev.cairn.persistence.leveldb.internal.RecordKind;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import dev.cairn.persistence.leveldb.internal.StoreOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * INTERNAL API. Backup and restore on Cairn's LevelDB storage layer: online through the
 * database a plugin of this process holds ({@link LevelDbStores#acquireIfOpen}), offline by
 * opening the directory (LevelDB's lock keeps other processes out).
 */
public final class LevelDbBridge implements StorageBridge {
  private final StoreOptions options;

  public LevelDbBridge(StoreOptions options) {
    this.options = options;
  }

  @Override
  public StoreView openView(Path dir, String what, boolean mayBeMissing) {
    if (mayBeMissing && !Files.exists(dir)) return StoreView.empty();
    boolean isOnline = StoreAccess.isOpenHere(dir);
    StoreLease lease = StoreAccess.open(dir, what, options);
    // the LevelDB read snapshot is taken now, not when the caller starts reading
    CloseableIterator<RawEntry> entries;
    try {
      entries = lease.store().rawEntries();
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
    return new StoreView() {
      @Override
      public boolean online() {
        return isOnline;
      }

      @Override
      public void forEach(KvFrames.PairSink sink) throws IOException {
        while (entries.hasNext()) {
          RawEntry e = entries.next();
          sink.accept(e.key(), e.value());
        }
      }

      @Override
      public void close() {
        try {
          entries.close();
        } finally {
          lease.close();
        }
      }
    };
  }

  @Override
  public StoreWriter create(Path dir) {
    RawRestore restore = LevelDbStores.createForRestore(dir, options);
    return new StoreWriter() {
      @Override
      public void put(byte[] key, byte[] value) {
        restore.put(key, value);
      }

      @Override
      public void finish() {
        restore.finish();
      }

      @Override
      public void close() {
        restore.close();
      }
    };
  }

  @Override
  public KvFrames.PairSink inspector(StoreStats stats) {
    // persistence id states come before their events (key kind 0x02 sorts before 0x03)
    Map<String, PersistenceIdState> states = new HashMap<>();
    return (key, value) -> {
      try {
        switch (Format.keyKind(key)) {
          case PERSISTENCE_ID: {
            String pid = new String(key, 1, key.length - 1, StandardCharsets.UTF_8);
            PersistenceIdState state = Format.decodePersistenceIdState(pid, key, value, "backup");
            states.put(pid, state);
            stats.highestSeqNr(pid, state.highestSequenceNr());
            stats.deletedTo(pid, state.deletedTo());
            break;
          }
          case EVENT: {
            String pid = Format.keyName(key);
            if (pid == null) break;
            long seqNr = Format.keyNumber(key);
            PersistenceIdState state = states.getOrDefault(pid, PersistenceIdState.EMPTY);
            if (seqNr > state.deletedTo() && Format.recordKind(value) == RecordKind.EVENT) {
              stats.event(pid, seqNr);
            } else {
              stats.highestSeqNr(pid, seqNr);
            }
            break;
          }
          case SNAPSHOT: {
            String pid = Format.keyName(key);
            if (pid != null) stats.snapshot(pid, Format.keyNumber(key));
            break;
          }
          default:
            break;
        }
      } catch (JournalStorageException | IllegalArgumentException e) {
        // a damaged record is copied as it is; 'cairn verify' reports it
      }
    };
  }
}
