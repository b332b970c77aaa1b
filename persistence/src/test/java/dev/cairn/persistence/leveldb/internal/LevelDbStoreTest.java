package dev.cairn.persistence.leveldb.internal;

import static dev.cairn.persistence.leveldb.internal.StoreTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.cairn.persistence.leveldb.ChecksumMismatchException;
import dev.cairn.persistence.leveldb.DirectoryInUseException;
import dev.cairn.persistence.leveldb.DirectoryNotWritableException;
import dev.cairn.persistence.leveldb.SequenceGapException;
import dev.cairn.persistence.leveldb.UnsupportedFormatVersionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.iq80.leveldb.DB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LevelDbStoreTest {
  @TempDir Path tmp;

  private static List<EventRecord> readAll(LevelDbStore store, String pid) {
    List<EventRecord> out = new ArrayList<>();
    try (CloseableIterator<EventRecord> it = store.events(pid, 1, Long.MAX_VALUE)) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void eventsWrittenAreReadBackWithAllFields() {
    try (StoreLease lease = LevelDbStores.acquire(tmp.resolve("j"), StoreOptions.defaults())) {
      LevelDbStore store = lease.store();
      store.submit(new AppendTask(List.of(new AppendTask.AtomicGroup("p-1",
          List.of(event("p-1", 1, "one", "blue"), event("p-1", 2, "two")))), true)).join();
      List<EventRecord> events = readAll(store, "p-1");
      assertEquals(2, events.size());
      EventRecord first = events.get(0);
      assertEquals("one", utf8(first.payload()));
      assertEquals(1L, first.sequenceNr());
      assertEquals("writer-1", first.writerUuid());
      assertEquals(1001L, first.timestamp());
      assertEquals(20, first.serializerId());
      assertEquals(List.of("blue"), first.tags());
      assertFalse(first.deleted());
      assertEquals(2L, store.highestSequenceNr("p-1"));
      assertEquals(List.of("p-1"), store.persistenceIds());
    }
  }

  @Test
  void alteredEventValueFailsItsChecksumNamingPidSeqNrAndKey() throws Exception {
    Path dir = tmp.resolve("j");
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      writeEvents(lease.store(), "p-1", 1, 3);
    }
    boolean nat = LevelDbStore.nativeAvailable();
    try (DB raw = rawOpen(dir, nat)) {
      byte[] k = Format.eventKey("p-1", 2);
      byte[] v = raw.get(k);
      v[v.length - 6] ^= 0x01; // flip one payload bit
      raw.put(k, v);
    }
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> readAll(lease.store(), "p-1"));
      assertEquals("p-1", e.persistenceId());
      assertEquals(2L, e.sequenceNr());
      assertTrue(e.getMessage().contains(Format.hex(Format.eventKey("p-1", 2))), e.getMessage());
      assertTrue(e.getMessage().contains(dir.getFileName().toString()), e.getMessage());
    }
  }

  @Test
  void eventValueCopiedToAnotherSequenceNumberFailsItsChecksum() throws Exception {
    Path dir = tmp.resolve("j");
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      writeEvents(lease.store(), "p-1", 1, 3);
    }
    try (DB raw = rawOpen(dir, LevelDbStore.nativeAvailable())) {
      raw.put(Format.eventKey("p-1", 3), raw.get(Format.eventKey("p-1", 1)));
    }
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      ChecksumMismatchException e = assertThrows(ChecksumMismatchException.class, () -> readAll(lease.store(), "p-1"));
      assertEquals(3L, e.sequenceNr());
    }
  }

  @Test
  void missingEventIsReportedAsGapInsteadOfShorterHistory() throws Exception {
    Path dir = tmp.resolve("j");
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      writeEvents(lease.store(), "p-1", 1, 5);
    }
    try (DB raw = rawOpen(dir, LevelDbStore.nativeAvailable())) {
      raw.delete(Format.eventKey("p-1", 3));
    }
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      SequenceGapException e = assertThrows(SequenceGapException.class, () -> readAll(lease.store(), "p-1"));
      assertEquals("p-1", e.persistenceId());
      assertEquals(3L, e.sequenceNr());
      assertEquals(4L, e.foundSequenceNr());
    }
  }

  @Test
  void missingLastEventsAreReportedAsGap() throws Exception {
    Path dir = tmp.resolve("j");
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      writeEvents(lease.store(), "p-1", 1, 5);
    }
    try (DB raw = rawOpen(dir, LevelDbStore.nativeAvailable())) {
      raw.delete(Format.eventKey("p-1", 5));
    }
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      SequenceGapException e = assertThrows(SequenceGapException.class, () -> readAll(lease.store(), "p-1"));
      assertEquals(5L, e.sequenceNr());
      assertEquals(-1L, e.foundSequenceNr());
    }
  }

  @Test
  void writeThatWouldLeaveAGapIsRefused() {
    try (StoreLease lease = LevelDbStores.acquire(tmp.resolve("j"), StoreOptions.defaults())) {
      writeEvents(lease.store(), "p-1", 1, 2);
      CompletionException e = assertThrows(CompletionException.class, () -> writeEvents(lease.store(), "p-1", 4, 4));
      assertInstanceOf(SequenceGapException.class, e.getCause());
      assertEquals(2L, lease.store().highestSequenceNr("p-1"));
    }
  }

  @Test
  void verifyReportsEveryProblemInsteadOfStoppingAtTheFirst() throws Exception {
    Path dir = tmp.resolve("j");
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      writeEvents(lease.store(), "a", 1, 5);
      writeEvents(lease.store(), "b", 1, 5);
      lease.store().submit(new SnapshotTasks.Save("a", 3, 1L, 20, "", new byte[] {1, 2, 3}, 0, true)).join();
    }
    try (DB raw = rawOpen(dir, LevelDbStore.nativeAvailable())) {
      byte[] v = raw.get(Format.eventKey("a", 2));
      v[v.length - 5] ^= 0x10;
      raw.put(Format.eventKey("a", 2), v);
      raw.delete(Format.eventKey("b", 3));
      byte[] s = raw.get(Format.snapshotKey("a", 3));
      s[s.length - 5] ^= 0x10;
      raw.put(Format.snapshotKey("a", 3), s);
      raw.put(new byte[] {0x7f, 1}, new byte[] {0});
      byte[] k = Format.eventKey("b", 4);
      byte[] unknown = raw.get(k);
      unknown[0] = 0x33;
      raw.put(k, Format.seal(k, unknown));
    }
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      VerifyReport report = lease.store().verify();
      List<VerifyProblem.Kind> kinds = report.problems().stream().map(VerifyProblem::kind).toList();
      assertEquals(2, report.persistenceIds());
      assertEquals(9, report.events());
      assertTrue(kinds.contains(VerifyProblem.Kind.SEQUENCE_GAP), kinds.toString());
      assertTrue(kinds.contains(VerifyProblem.Kind.UNKNOWN_KEY_KIND), kinds.toString());
      assertTrue(kinds.contains(VerifyProblem.Kind.UNKNOWN_RECORD_KIND), kinds.toString());
      assertEquals(2, kinds.stream().filter(k -> k == VerifyProblem.Kind.CHECKSUM_MISMATCH).count(), kinds.toString());
      VerifyProblem gap = report.problems().stream().filter(p -> p.kind() == VerifyProblem.Kind.SEQUENCE_GAP).findFirst().orElseThrow();
      assertEquals("b", gap.persistenceId());
      assertEquals(3L, gap.sequenceNr());
    }
  }

  @Test
  void cleanDirectoryVerifiesWithoutProblems() {
    try (StoreLease lease = LevelDbStores.acquire(tmp.resolve("j"), StoreOptions.defaults())) {
      writeEvents(lease.store(), "a", 1, 5);
      lease.store().submit(new DeleteEventsTask("a", 2, true)).join();
      VerifyReport report = lease.store().verify();
      assertTrue(report.ok(), report.problems().toString());
      assertEquals(3, report.events());
    }
  }

  @Test
  void newerFormatVersionIsRefusedOnOpen() throws Exception {
    Path dir = tmp.resolve("j");
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      writeEvents(lease.store(), "a", 1, 1);
    }
    try (DB raw = rawOpen(dir, LevelDbStore.nativeAvailable())) {
      byte[] k = Format.formatVersionKey();
      raw.put(k, Format.encodeFormatVersion(k, 99));
    }
    UnsupportedFormatVersionException e = assertThrows(UnsupportedFormatVersionException.class,
        () -> LevelDbStores.acquire(dir, StoreOptions.defaults()));
    assertTrue(e.getMessage().contains("99"), e.getMessage());
    assertFalse(LevelDbStores.isOpen(dir));
  }

  @Test
  void directoryLockedByAnotherOpenerIsReportedAsInUse() throws Exception {
    Path dir = tmp.resolve("j");
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      writeEvents(lease.store(), "a", 1, 1);
    }
    // a plain LevelDB opener outside the registry stands in for another process
    try (DB other = rawOpen(dir, LevelDbStore.nativeAvailable())) {
      DirectoryInUseException e = assertThrows(DirectoryInUseException.class,
          () -> LevelDbStores.acquire(dir, StoreOptions.defaults()));
      assertTrue(e.getMessage().startsWith("journal directory " + dir.toRealPath() + " is in use by another process"), e.getMessage());
    }
  }

  @Test
  void sameDirectoryIsSharedInsideTheProcessAndFoundForOnlineBackup() {
    Path dir = tmp.resolve("shared");
    try (StoreLease journal = LevelDbStores.acquire(dir, StoreOptions.defaults());
         StoreLease snapshots = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      assertSame(journal.store(), snapshots.store());
      writeEvents(journal.store(), "a", 1, 3);
      try (StoreLease backup = LevelDbStores.acquireIfOpen(dir).orElseThrow();
           CloseableIterator<RawEntry> raw = backup.store().rawEntries()) {
        writeEvents(journal.store(), "a", 4, 6); // written after the backup's read snapshot
        long events = 0;
        while (raw.hasNext()) if (Format.keyKind(raw.next().key()) == KeyKind.EVENT) events++;
        assertEquals(3, events);
      }
    }
    assertFalse(LevelDbStores.isOpen(dir));
    assertTrue(LevelDbStores.acquireIfOpen(dir).isEmpty());
  }

  @Test
  void rawEntriesRestoredIntoNewDirectoryReadBackIdentically() {
    Path src = tmp.resolve("src");
    Path dst = tmp.resolve("dst");
    try (StoreLease lease = LevelDbStores.acquire(src, StoreOptions.defaults())) {
      writeEvents(lease.store(), "a", 1, 4);
      try (RawRestore restore = LevelDbStores.createForRestore(dst, StoreOptions.defaults());
           CloseableIterator<RawEntry> raw = lease.store().rawEntries()) {
        raw.forEachRemaining(e -> restore.put(e.key(), e.value()));
        restore.finish();
      }
    }
    try (StoreLease lease = LevelDbStores.acquire(dst, StoreOptions.defaults())) {
      List<EventRecord> events = readAll(lease.store(), "a");
      assertEquals(List.of("e-1", "e-2", "e-3", "e-4"), events.stream().map(e -> utf8(e.payload())).toList());
      assertTrue(lease.store().verify().ok());
    }
  }

  @Test
  void missingDirectoryIsCreatedOwnerOnly() throws Exception {
    Path dir = tmp.resolve("a/b/journal");
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      assertTrue(Files.isDirectory(dir));
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
        }
      }
    }
  }

  @Test
  void fileInPlaceOfDirectoryIsReportedAsNotWritable() throws Exception {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    DirectoryNotWritableException e = assertThrows(DirectoryNotWritableException.class,
        () -> LevelDbStores.acquire(file.resolve("journal"), StoreOptions.defaults()));
    assertTrue(e.getMessage().contains("journal"), e.getMessage());
  }

  @Test
  void eventsWrittenNativelyAreReadByPureJavaAndBack() {
    org.junit.jupiter.api.Assumptions.assumeTrue(LevelDbStore.nativeAvailable(), "leveldbjni native library not available");
    Path dir = tmp.resolve("j");
    StoreOptions nat = StoreOptions.defaults().withNativeMode(StoreOptions.NativeMode.ON);
    StoreOptions java = StoreOptions.defaults().withNativeMode(StoreOptions.NativeMode.OFF);
    try (StoreLease lease = LevelDbStores.acquire(dir, nat)) {
      assertTrue(lease.store().isNative());
      writeEvents(lease.store(), "a", 1, 3);
    }
    try (StoreLease lease = LevelDbStores.acquire(dir, java)) {
      assertFalse(lease.store().isNative());
      assertEquals(List.of("e-1", "e-2", "e-3"), readAll(lease.store(), "a").stream().map(e -> utf8(e.payload())).toList());
      writeEvents(lease.store(), "a", 4, 5);
    }
    try (StoreLease lease = LevelDbStores.acquire(dir, nat)) {
      assertEquals(5, readAll(lease.store(), "a").size());
      assertTrue(lease.store().verify().ok());
    }
  }

  @Test
  void noSpaceLeftOnDeviceIsReportedAsDiskFull() {
    try (StoreLease lease = LevelDbStores.acquire(tmp.resolve("j"), StoreOptions.defaults())) {
      var e = lease.store().mapWriteError(new org.iq80.leveldb.DBException("IO error: /x/000005.log: No space left on device"));
      assertInstanceOf(dev.cairn.persistence.leveldb.DiskFullException.class, e);
      assertTrue(e.getMessage().contains(tmp.resolve("j").getFileName().toString()), e.getMessage());
    }
  }

  @Test
  void readOnlyDirectoryIsReportedAsNotWritable() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("ro"));
    // root ignores permission bits, so as root the directory is made immutable instead (ext4, xfs, ...)
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      org.junit.jupiter.api.Assumptions.assumeTrue(chattr("+i", dir),
          "running as root on a file system without immutable directories: no way to make " + dir + " read-only");
    } else {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
    }
    try {
      DirectoryNotWritableException e = assertThrows(DirectoryNotWritableException.class,
          () -> LevelDbStores.acquire(dir, StoreOptions.defaults()));
      assertTrue(e.getMessage().contains("not writable"), e.getMessage());
      assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    } finally {
      if (root) {
        chattr("-i", dir);
      } else {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      }
    }
  }

  private static boolean chattr(String flag, Path dir) {
    try {
      Process p = new ProcessBuilder("chattr", flag, dir.toString()).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static List<String> payloadsAndTags(List<EventRecord> events) {
    List<String> out = new ArrayList<>();
    for (EventRecord r : events) out.add(r.sequenceNr() + ":" + utf8(r.payload()) + ":" + r.tags());
    return out;
  }

  @Test
  void writeAtStoredSequenceNumbersFailsWhileAnotherPidInTheSameGroupCommitSucceeds() throws Exception {
    try (StoreLease lease = LevelDbStores.acquire(tmp.resolve("j"), StoreOptions.defaults())) {
      LevelDbStore store = lease.store();
      store.submit(new AppendTask(List.of(new AppendTask.AtomicGroup("p-1",
          List.of(event("p-1", 1, "one", "blue"), event("p-1", 2, "two", "red")))), true)).join();
      List<String> before = payloadsAndTags(readAll(store, "p-1"));
      long tagEntriesBefore = store.verify().tagEntries();
      // both writes queue up while the writer is held, so they share one group commit
      var blocker = WriterHold.hold(store, false);
      var conflicting = store.submit(new AppendTask(List.of(new AppendTask.AtomicGroup("p-1",
          List.of(event("p-1", 2, "TWO", "green"), event("p-1", 3, "THREE", "green")))), true));
      var other = store.submit(new AppendTask(List.of(new AppendTask.AtomicGroup("q-1", List.of(event("q-1", 1, "q", "blue")))), true));
      blocker.countDown();
      other.join();
      CompletionException ce = assertThrows(CompletionException.class, conflicting::join);
      var e = assertInstanceOf(dev.cairn.persistence.leveldb.SequenceNumberConflictException.class, ce.getCause());
      assertEquals("p-1", e.persistenceId());
      assertEquals(2L, e.fromSequenceNr());
      assertEquals(3L, e.toSequenceNr());
      assertEquals(2L, e.storedHighestSequenceNr());
      assertTrue(e.getMessage().contains("[p-1]") && e.getMessage().contains("[2..3]")
          && e.getMessage().contains("stored highest sequence number is [2]")
          && e.getMessage().contains("the event already stored was kept"), e.getMessage());
      assertEquals(before, payloadsAndTags(readAll(store, "p-1")));
      assertEquals(2L, store.highestSequenceNr("p-1"));
      assertEquals(List.of("1:q:[blue]"), payloadsAndTags(readAll(store, "q-1")));
      VerifyReport report = store.verify();
      assertTrue(report.ok(), report.problems().toString());
      assertEquals(tagEntriesBefore + 1, report.tagEntries(), "only q-1's tag entry was added");
    }
  }

  @Test
  void conflictingGroupAndLaterGroupsOfItsPidAreRefusedWhileOtherGroupsOfTheRequestAreWritten() {
    try (StoreLease lease = LevelDbStores.acquire(tmp.resolve("j"), StoreOptions.defaults())) {
      LevelDbStore store = lease.store();
      writeEvents(store, "p-1", 1, 2);
      List<String> before = payloadsAndTags(readAll(store, "p-1"));
      AppendTask task = new AppendTask(List.of(
          new AppendTask.AtomicGroup("p-1", List.of(event("p-1", 2, "TWO"))),
          new AppendTask.AtomicGroup("q-1", List.of(event("q-1", 1, "q"))),
          new AppendTask.AtomicGroup("p-1", List.of(event("p-1", 3, "THREE")))), true);
      store.submit(task).join();
      var failures = task.failures();
      assertEquals(3, failures.size());
      assertNotNull(failures.get(0));
      assertEquals(2L, failures.get(0).fromSequenceNr());
      assertNull(failures.get(1));
      assertSame(failures.get(0), failures.get(2));
      assertSame(failures.get(0), task.firstFailure());
      assertEquals(before, payloadsAndTags(readAll(store, "p-1")));
      assertEquals(2L, store.highestSequenceNr("p-1"));
      assertEquals(List.of("1:q:[]"), payloadsAndTags(readAll(store, "q-1")));
    }
  }

  private java.util.concurrent.CompletableFuture<Void> queuedAppend;

  /** p-1 has events 1..2 stored; its append of 3..4 waits in the queue of a held writer (count the latch down). */
  private java.util.concurrent.CountDownLatch heldWriterWithQueuedAppend(LevelDbStore store, boolean sync) throws InterruptedException {
    writeEvents(store, "p-1", 1, 2);
    var blocker = WriterHold.hold(store, false);
    queuedAppend = store.submit(new AppendTask(List.of(new AppendTask.AtomicGroup("p-1",
        List.of(event("p-1", 3, "three"), event("p-1", 4, "four")))), sync));
    return blocker;
  }

  @Test
  void highestSequenceNrAfterPendingWritesCompletesOnlyAfterAQueuedAppendOfThatPid() throws Exception {
    try (StoreLease lease = LevelDbStores.acquire(tmp.resolve("j"), StoreOptions.defaults())) {
      LevelDbStore store = lease.store();
      var blocker = heldWriterWithQueuedAppend(store, true);
      var append = queuedAppend;
      var highest = store.highestSequenceNrAfterPendingWrites("p-1");
      var otherPid = store.highestSequenceNrAfterPendingWrites("q-1");
      assertTrue(otherPid.isDone(), "a persistence id without queued writes is answered at once");
      assertEquals(0L, otherPid.join());
      assertFalse(highest.isDone(), "answered while p-1's append was still queued");
      assertEquals(2L, store.highestSequenceNr("p-1"), "the committed state does not have the queued append yet");
      var appendDoneWhenAnswered = highest.thenApply(h -> append.isDone());
      blocker.countDown();
      assertEquals(4L, highest.get(10, java.util.concurrent.TimeUnit.SECONDS));
      assertTrue(appendDoneWhenAnswered.get(10, java.util.concurrent.TimeUnit.SECONDS));
      assertTrue(store.highestSequenceNrAfterPendingWrites("p-1").isDone(), "no pending write is left registered");
    }
  }

  @Test
  void inlineWriteQueuesBehindAQueuedAppendOfThePersistenceIdInsteadOfOvertakingIt() throws Exception {
    try (StoreLease lease = LevelDbStores.acquire(tmp.resolve("j"), StoreOptions.defaults())) {
      LevelDbStore store = lease.store();
      var blocker = heldWriterWithQueuedAppend(store, false);
      var queued = queuedAppend;
      // on another thread: an inline write that took the write lock would wait for the held writer
      var call = java.util.concurrent.CompletableFuture.supplyAsync(() -> store.writeInline(
          new AppendTask(List.of(new AppendTask.AtomicGroup("p-1", List.of(event("p-1", 5, "five")))), false)));
      java.util.concurrent.CompletableFuture<Void> inline;
      try {
        inline = call.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertFalse(inline.isDone(), "the inline write of p-1 completed while p-1's earlier append was still queued");
      } finally {
        blocker.countDown(); // never leave the writer held (closing the store waits for it)
      }
      queued.get(10, java.util.concurrent.TimeUnit.SECONDS);
      inline.get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(List.of("1:e-1:[]", "2:e-2:[]", "3:three:[]", "4:four:[]", "5:five:[]"), payloadsAndTags(readAll(store, "p-1")));
      assertEquals(5L, store.highestSequenceNr("p-1"));
    }
  }

  @Test
  void groupCommitPutsConcurrentWritesIntoFewerBatches() throws Exception {
    try (StoreLease lease = LevelDbStores.acquire(tmp.resolve("j"), StoreOptions.defaults())) {
      LevelDbStore store = lease.store();
      // hold the write lock so that the writer thread waits and the tasks queue up behind it
      var blocker = WriterHold.hold(store, true);
      long groupsBefore = store.writeCount();
      List<java.util.concurrent.CompletableFuture<Void>> futures = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        String pid = "g-" + i;
        futures.add(store.submit(new AppendTask(List.of(new AppendTask.AtomicGroup(pid, List.of(event(pid, 1, "x")))), true)));
      }
      blocker.countDown();
      for (var f : futures) f.join();
      long groups = store.writeCount() - groupsBefore;
      assertTrue(groups <= 2, "50 queued writes took " + groups + " batches");
      assertEquals(50, store.persistenceIds().stream().filter(p -> p.startsWith("g-")).count());
    }
  }

  @Test
  void readingAClosedStoreFailsWithTypedError() {
    LevelDbStore store;
    try (StoreLease lease = LevelDbStores.acquire(tmp.resolve("j"), StoreOptions.defaults())) {
      store = lease.store();
      writeEvents(store, "a", 1, 2);
    }
    assertTrue(store.isClosed());
    var e1 = assertThrows(dev.cairn.persistence.leveldb.JournalStorageException.class, () -> store.events("a", 1, 10));
    assertTrue(e1.getMessage().contains("is closed"), e1.getMessage());
    var e2 = assertThrows(dev.cairn.persistence.leveldb.JournalStorageException.class, () -> store.highestSequenceNr("a"));
    assertTrue(e2.getMessage().contains("is closed"), e2.getMessage());
    var e3 = assertThrows(dev.cairn.persistence.leveldb.JournalStorageException.class, () -> store.persistenceIds());
    assertTrue(e3.getMessage().contains("is closed"), e3.getMessage());
  }

  @Test
  void closingWaitsForAnOpenReaderBeforeClosingLevelDb() throws Exception {
    StoreLease lease = LevelDbStores.acquire(tmp.resolve("j"), StoreOptions.defaults());
    LevelDbStore store = lease.store();
    writeEvents(store, "a", 1, 3);
    CloseableIterator<EventRecord> it = store.events("a", 1, 3);
    Thread closer = new Thread(lease::close);
    closer.start();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!store.isClosed() && System.nanoTime() < deadline) Thread.onSpinWait(); // close() has begun
    assertTrue(store.isClosed());
    // the reader can still read everything while close() waits for it
    List<Long> seen = new ArrayList<>();
    it.forEachRemaining(r -> seen.add(r.sequenceNr()));
    it.close();
    closer.join(20_000);
    assertFalse(closer.isAlive());
    assertEquals(List.of(1L, 2L, 3L), seen);
    assertTrue(store.isClosed());
  }

  @Test
  void offlineVerifyReportsUnsupportedFormatVersionAlongWithOtherProblems() throws Exception {
    Path dir = tmp.resolve("j");
    try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults())) {
      writeEvents(lease.store(), "a", 1, 3);
    }
    try (DB raw = rawOpen(dir, LevelDbStore.nativeAvailable())) {
      byte[] k = Format.formatVersionKey();
      raw.put(k, Format.encodeFormatVersion(k, 99));
      raw.delete(Format.eventKey("a", 2));
    }
    VerifyReport report = LevelDbStores.verify(dir, StoreOptions.defaults());
    List<VerifyProblem.Kind> kinds = report.problems().stream().map(VerifyProblem::kind).toList();
    assertTrue(kinds.contains(VerifyProblem.Kind.BAD_FORMAT_VERSION), kinds.toString());
    assertTrue(kinds.contains(VerifyProblem.Kind.SEQUENCE_GAP), kinds.toString());
    assertFalse(LevelDbStores.isOpen(dir));
  }
}
