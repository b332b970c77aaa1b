package dev.cairn.persistence.leveldb.internal;

import static dev.cairn.persistence.leveldb.internal.StoreTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.cairn.persistence.leveldb.SequenceGapException;
import dev.cairn.persistence.leveldb.SequenceNumberConflictException;
import dev.cairn.persistence.leveldb.UnsupportedFormatVersionException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.iq80.leveldb.DB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Format version 2: a persistence id's state record is written with its first events, on
 * deletion, at state flushes and at close; appends in between advance it in memory. Reads stay
 * exact: in memory while the store runs, from the id's last event after a crash.
 */
class StateRecordTest {
  private static final long NEVER = Long.MAX_VALUE / 4;
  @TempDir Path tmp;

  private static List<Long> seqNrs(LevelDbStore store, String pid) {
    List<Long> out = new ArrayList<>();
    try (CloseableIterator<EventRecord> it = store.events(pid, 1, Long.MAX_VALUE)) {
      it.forEachRemaining(r -> out.add(r.sequenceNr()));
    }
    return out;
  }

  @Test
  void appendsAdvanceTheStateInMemoryAndACleanCloseWritesTheRecords() {
    Path dir = tmp.resolve("j");
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      LevelDbStore store = lease.store();
      store.stateFlushIntervalNanos(NEVER);
      writeEvents(store, "p-1", 1, 2); // the id's first write: with its record
      assertEquals(2L, recordOf(store, "p-1").highestSequenceNr());
      writeEvents(store, "p-1", 3, 3);
      writeEvents(store, "p-1", 4, 5);
      assertEquals(2L, recordOf(store, "p-1").highestSequenceNr(), "later appends do not write the record");
      assertEquals(5L, store.highestSequenceNr("p-1"));
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqNrs(store, "p-1"));
      assertEquals(List.of("p-1"), store.persistenceIds());
    }
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      assertEquals(5L, recordOf(lease.store(), "p-1").highestSequenceNr(), "a clean close writes every record");
      assertEquals(5L, lease.store().highestSequenceNr("p-1"));
    }
  }

  @Test
  void aStateFlushWritesTheRecordsOfEveryIdAheadOfItsRecordWithTheNextWrite() {
    try (StoreLease lease = LevelDbStores.acquire(tmp.resolve("j"), StoreOptions.defaults())) {
      LevelDbStore store = lease.store();
      store.stateFlushIntervalNanos(NEVER);
      writeEvents(store, "p-1", 1, 1);
      writeEvents(store, "p-1", 2, 4);
      writeEvents(store, "p-2", 1, 1);
      assertEquals(1L, recordOf(store, "p-1").highestSequenceNr());
      store.stateFlushIntervalNanos(0L);
      writeEvents(store, "p-2", 2, 2); // a write of another id carries the flush
      assertEquals(4L, recordOf(store, "p-1").highestSequenceNr());
      assertEquals(2L, recordOf(store, "p-2").highestSequenceNr());
    }
  }

  @Test
  void afterACrashTheHighestSequenceNumberComesFromTheEventsPastTheRecord() throws Exception {
    Path live = tmp.resolve("live");
    Path crashed = tmp.resolve("crashed");
    try (StoreLease lease = LevelDbStores.acquire(live, StoreOptions.defaults())) {
      lease.store().stateFlushIntervalNanos(NEVER);
      writeEvents(lease.store(), "p-1", 1, 2);
      writeEvents(lease.store(), "p-1", 3, 5);
      copyDir(live, crashed); // the process dies here: no close, no record written
    }
    try (StoreLease lease = LevelDbStores.acquire(crashed, StoreOptions.defaults())) {
      LevelDbStore store = lease.store();
      assertEquals(2L, recordOf(store, "p-1").highestSequenceNr(), "the record is behind the events");
      assertEquals(5L, store.highestSequenceNr("p-1"));
      assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqNrs(store, "p-1"));
      // the writer goes on after the stored events, never over them
      CompletionException e = assertThrows(CompletionException.class, () -> writeEvents(store, "p-1", 4, 4));
      assertInstanceOf(SequenceNumberConflictException.class, e.getCause());
      writeEvents(store, "p-1", 6, 6);
      assertEquals(6L, store.highestSequenceNr("p-1"));
      assertTrue(store.verify().problems().isEmpty(), String.valueOf(store.verify().problems()));
    }
  }

  @Test
  void aLostLastEventIsDetectedWhileTheRecordIsBehind() {
    try (StoreLease lease = LevelDbStores.acquire(tmp.resolve("j"), StoreOptions.defaults())) {
      LevelDbStore store = lease.store();
      store.stateFlushIntervalNanos(NEVER);
      writeEvents(store, "p-1", 1, 2);
      writeEvents(store, "p-1", 3, 5);
      store.submit(new WriteTask(false) {
        @Override
        protected void prepare(WriteContext ctx) {
          ctx.delete(Format.eventKey("p-1", 5)); // damage: the newest event disappears
        }

        @Override
        protected long estimatedBytes() {
          return 0;
        }
      }).join();
      SequenceGapException e = assertThrows(SequenceGapException.class, () -> seqNrs(store, "p-1"));
      assertEquals("p-1", e.persistenceId());
      assertEquals(5L, e.sequenceNr());
    }
  }

  @Test
  void aDirectoryOfFormatVersion1IsReadAndUpgradedOnOpen() throws Exception {
    Path dir = tmp.resolve("j");
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      writeEvents(lease.store(), "p-1", 1, 3);
    }
    boolean nat = LevelDbStore.nativeAvailable();
    byte[] k = Format.formatVersionKey();
    try (DB raw = rawOpen(dir, nat)) {
      raw.put(k, Format.encodeFormatVersion(k, 1));
    }
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      assertEquals(Format.FORMAT_VERSION, lease.store().formatVersion());
      assertEquals(List.of(1L, 2L, 3L), seqNrs(lease.store(), "p-1"));
    }
    try (DB raw = rawOpen(dir, nat)) {
      assertEquals(2, Format.decodeMetaInt(raw.get(k)));
    }
  }

  @Test
  void aBackupOfFormatVersion1IsRestoredAndReadAndAFormatThisCairnDoesNotKnowIsRefused() {
    Path src = tmp.resolve("src");
    byte[] k = Format.formatVersionKey();
    for (int version : new int[] {1, Format.FORMAT_VERSION + 1}) {
      Path dst = tmp.resolve("dst-" + version);
      try (StoreLease lease = LevelDbStores.acquire(src, StoreOptions.defaults())) {
        if (version == 1) writeEvents(lease.store(), "a", 1, 4);
        try (RawRestore restore = LevelDbStores.createForRestore(dst, StoreOptions.defaults());
             CloseableIterator<RawEntry> raw = lease.store().rawEntries()) {
          // the backup as a Cairn writing format 1 (or a newer one) made it
          raw.forEachRemaining(e -> restore.put(e.key(), java.util.Arrays.equals(e.key(), k) ? Format.encodeFormatVersion(k, version) : e.value()));
          if (version == 1) {
            restore.finish();
          } else {
            UnsupportedFormatVersionException e = assertThrows(UnsupportedFormatVersionException.class, restore::finish);
            assertTrue(e.getMessage().contains(String.valueOf(version)), e.getMessage());
          }
        }
      }
    }
    try (StoreLease lease = LevelDbStores.acquire(tmp.resolve("dst-1"), StoreOptions.defaults())) {
      assertEquals(Format.FORMAT_VERSION, lease.store().formatVersion());
      assertEquals(List.of(1L, 2L, 3L, 4L), seqNrs(lease.store(), "a"));
      assertEquals(4L, lease.store().highestSequenceNr("a"));
    }
  }
}
