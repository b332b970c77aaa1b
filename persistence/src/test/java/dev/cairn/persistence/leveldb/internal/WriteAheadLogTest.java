package dev.cairn.persistence.leveldb.internal;

import static dev.cairn.persistence.leveldb.internal.StoreTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write-ahead log of synced writes. A machine crash is simulated by combining a copy of the
 * LevelDB files taken before some synced writes with the log as it was after them: LevelDB has
 * "lost" those writes (they were applied to it unsynced), the log has them.
 */
class WriteAheadLogTest {
  @TempDir Path tmp;

  private static List<String> events(LevelDbStore store, String pid) {
    List<String> out = new ArrayList<>();
    try (CloseableIterator<EventRecord> it = store.events(pid, 1, Long.MAX_VALUE)) {
      it.forEachRemaining(r -> out.add(r.sequenceNr() + ":" + utf8(r.payload())));
    }
    return out;
  }

  private static Path wal(Path dir) {
    return dir.resolve(WriteAheadLog.FILE_NAME);
  }

  /** dir "crashed": LevelDB files with events 1..2, the log with synced groups 3, 4, 5 (one record each). */
  private Path crashedAfterThreeSyncedWrites() throws Exception {
    Path live = tmp.resolve("live");
    Path crashed = tmp.resolve("crashed");
    try (StoreLease lease = LevelDbStores.acquire(live, StoreOptions.defaults())) {
      assertTrue(lease.store().isNative(), "the write-ahead log is used with native LevelDB");
      writeEvents(lease.store(), "p-1", 1, 2);
    }
    copyDir(live, crashed); // LevelDB as it was on disk before events 3..5
    Path logCopy = tmp.resolve("wal-copy");
    try (StoreLease lease = LevelDbStores.acquire(live, StoreOptions.defaults())) {
      for (long s = 3; s <= 5; s++) writeEvents(lease.store(), "p-1", s, s); // each acknowledged: synced in the log
      Files.copy(wal(live), logCopy);
    }
    Files.copy(logCopy, wal(crashed), StandardCopyOption.REPLACE_EXISTING);
    assertEquals(3, WriteAheadLog.scan(crashed).records().size());
    return crashed;
  }

  @Test
  void openingAppliesSyncedWritesThatLevelDbLost() throws Exception {
    Path crashed = crashedAfterThreeSyncedWrites();
    try (StoreLease lease = LevelDbStores.acquire(crashed, StoreOptions.defaults())) {
      assertEquals(List.of("1:e-1", "2:e-2", "3:e-3", "4:e-4", "5:e-5"), events(lease.store(), "p-1"));
      assertEquals(5L, lease.store().highestSequenceNr("p-1"));
      assertTrue(lease.store().verify().problems().isEmpty(), String.valueOf(lease.store().verify().problems()));
      writeEvents(lease.store(), "p-1", 6, 6); // the writer goes on after the recovered sequence numbers
    }
    assertTrue(WriteAheadLog.scan(crashed).records().isEmpty(), "a clean close leaves nothing to apply");
    try (StoreLease lease = LevelDbStores.acquire(crashed, StoreOptions.defaults())) {
      assertEquals(6, events(lease.store(), "p-1").size());
    }
  }

  @Test
  void aTornLastRecordWasNeverAcknowledgedAndIsDropped() throws Exception {
    Path crashed = crashedAfterThreeSyncedWrites();
    long size;
    List<WriteAheadLog.Record> records = WriteAheadLog.scan(crashed).records();
    long end = 0;
    for (WriteAheadLog.Record r : records) end += WriteAheadLog.HEADER + r.payload().length;
    try (FileChannel ch = FileChannel.open(wal(crashed), StandardOpenOption.WRITE)) {
      size = ch.size();
      ch.truncate(end - 10); // the third record is cut in the middle
    }
    assertTrue(size >= end);
    try (StoreLease lease = LevelDbStores.acquire(crashed, StoreOptions.defaults())) {
      assertEquals(List.of("1:e-1", "2:e-2", "3:e-3", "4:e-4"), events(lease.store(), "p-1"));
      assertEquals(4L, lease.store().highestSequenceNr("p-1"));
    }
  }

  /** Offset of record {@code index} (0-based) in the log of {@code dir}. */
  private static long offsetOf(Path dir, int index) throws IOException {
    long p = 0;
    List<WriteAheadLog.Record> records = WriteAheadLog.scan(dir).records();
    for (int i = 0; i < index; i++) p += WriteAheadLog.HEADER + records.get(i).payload().length;
    return p;
  }

  private static void flipByte(Path file, long pos) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      ch.read(b, pos);
      b.put(0, (byte) (b.get(0) ^ 0x55));
      ch.write(b.rewind(), pos);
    }
  }

  @Test
  void aDamagedRecordFollowedByIntactOnesFailsTheOpenInsteadOfLosingThem() throws Exception {
    Path crashed = crashedAfterThreeSyncedWrites();
    flipByte(wal(crashed), offsetOf(crashed, 1) + WriteAheadLog.HEADER + 3); // record 2 of 3, payload
    WriteAheadLog.Scan scan = WriteAheadLog.scan(crashed);
    assertEquals(1, scan.records().size());
    dev.cairn.persistence.leveldb.JournalStorageException e = assertThrows(dev.cairn.persistence.leveldb.JournalStorageException.class,
        () -> LevelDbStores.acquire(crashed, StoreOptions.defaults()).close());
    assertTrue(e.getMessage().contains("is damaged: record " + scan.damagedSeq() + " fails its checksum"), e.getMessage());
    assertTrue(e.getMessage().contains("Restore the directory from a backup"), e.getMessage());
    // the way out the message names: without the log, LevelDB's own state (events 1..2) opens
    Files.move(wal(crashed), tmp.resolve("damaged-wal"));
    try (StoreLease lease = LevelDbStores.acquire(crashed, StoreOptions.defaults())) {
      assertEquals(List.of("1:e-1", "2:e-2"), events(lease.store(), "p-1"));
    }
  }

  @Test
  void aDamagedLastRecordIsATornWriteAndIsDropped() throws Exception {
    Path crashed = crashedAfterThreeSyncedWrites();
    flipByte(wal(crashed), offsetOf(crashed, 2) + WriteAheadLog.HEADER + 3); // record 3 of 3
    assertEquals(-1, WriteAheadLog.scan(crashed).damagedSeq());
    try (StoreLease lease = LevelDbStores.acquire(crashed, StoreOptions.defaults())) {
      assertEquals(List.of("1:e-1", "2:e-2", "3:e-3", "4:e-4"), events(lease.store(), "p-1"));
    }
  }

  @Test
  void recordsLevelDbAlreadyHasAreNotAppliedAgain() throws Exception {
    Path dir = tmp.resolve("j");
    Path oldLog = tmp.resolve("old-wal");
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      writeEvents(lease.store(), "p-1", 1, 3);
      Files.copy(wal(dir), oldLog); // holds the record that wrote events 1..3
      lease.store().submit(new DeleteEventsTask("p-1", 3, true)).join();
    }
    Files.copy(oldLog, wal(dir), StandardCopyOption.REPLACE_EXISTING);
    assertFalse(WriteAheadLog.scan(dir).records().isEmpty());
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      // re-applying the old record would bring the deleted events back
      assertEquals(List.of(), events(lease.store(), "p-1"));
      assertEquals(3L, lease.store().highestSequenceNr("p-1"));
    }
  }

  @Test
  void theLogIsReusedFromItsStartAfterACheckpointAndStaysWithinItsSize() throws Exception {
    Path dir = tmp.resolve("j");
    long max = 64 * 1024;
    StoreOptions small = StoreOptions.defaults().withWriteAheadLogBytes(max);
    try (StoreLease lease = LevelDbStores.acquire(dir, small)) {
      for (long s = 1; s <= 2000; s += 10) writeEvents(lease.store(), "p-1", s, s + 9); // ~300 KiB of records
      assertTrue(Files.size(wal(dir)) <= max, "log size " + Files.size(wal(dir)));
      List<WriteAheadLog.Record> lap = WriteAheadLog.scan(dir).records();
      assertFalse(lap.isEmpty());
      assertTrue(lap.get(0).seq() > 1, "the records at the start are from a later pass over the file");
      assertEquals(2000, events(lease.store(), "p-1").size());
    }
    try (StoreLease lease = LevelDbStores.acquire(dir, small)) {
      assertEquals(2000, events(lease.store(), "p-1").size());
      assertTrue(lease.store().verify().problems().isEmpty());
    }
  }

  @Test
  void backupsDoNotCarryTheLogsBookkeeping() throws Exception {
    try (StoreLease lease = LevelDbStores.acquire(tmp.resolve("j"), StoreOptions.defaults())) {
      writeEvents(lease.store(), "p-1", 1, 2);
      byte[] walKey = Format.metaKey(Format.META_WAL_SEQUENCE);
      assertNotNull(lease.store().getForWrite(walKey), "LevelDB keeps the newest applied record's number");
      try (CloseableIterator<RawEntry> it = lease.store().rawEntries()) {
        while (it.hasNext()) assertFalse(java.util.Arrays.equals(walKey, it.next().key()));
      }
    }
  }

  @Test
  void withoutTheLogSyncedWritesSyncLevelDbItself() throws Exception {
    Path dir = tmp.resolve("j");
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults().withWriteAheadLogBytes(0))) {
      writeEvents(lease.store(), "p-1", 1, 2);
      assertEquals(2, events(lease.store(), "p-1").size());
    }
    assertFalse(Files.exists(wal(dir)));
  }
}
