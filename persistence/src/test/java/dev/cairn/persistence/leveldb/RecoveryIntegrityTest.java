package dev.cairn.persistence.leveldb;

import static org.junit.jupiter.api.Assertions.*;

import dev.cairn.persistence.leveldb.internal.Format;
import dev.cairn.persistence.leveldb.internal.LevelDbStores;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Event-sourced actors on Cairn's journal and snapshot store (configured with the SAME
 * directory, sharing one database): recovery is exact, and damaged or missing data fails
 * recovery with a typed error instead of a shorter history; a damaged snapshot falls back.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RecoveryIntegrityTest {
  private static final AtomicInteger counter = new AtomicInteger();
  private static final Path dir = TestConfigs.freshDir("recovery");
  private static final Path shared = dir.resolve("shared");

  @JUnit5TestKit
  final ActorTestKit testKit = ActorTestKit.create("RecoveryIntegrityTest", TestConfigs.plugins(dir,
      "cairn.persistence.journal.leveldb.dir = \"" + shared + "\"\n"
          + "cairn.persistence.snapshot-store.leveldb.dir = \"" + shared + "\"\n"));

  private String newPid() {
    return "r-" + counter.incrementAndGet();
  }

  private List<String> record(String pid, int n, int snapshotEvery) {
    TestProbe<Object> monitor = testKit.createTestProbe();
    ActorRef<Recorder.Command> actor = testKit.spawn(Recorder.create(pid, monitor.ref(), snapshotEvery));
    monitor.expectMessage(new Recorder.Recovered(List.of()));
    TestProbe<Done> acks = testKit.createTestProbe();
    List<String> items = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      actor.tell(new Recorder.Add("item-" + i, acks.ref()));
      acks.expectMessage(Done.getInstance());
      items.add("item-" + i);
    }
    testKit.stop(actor);
    return items;
  }

  private Object recover(String pid, int snapshotEvery) {
    TestProbe<Object> monitor = testKit.createTestProbe();
    testKit.spawn(Recorder.create(pid, monitor.ref(), snapshotEvery));
    return monitor.receiveMessage();
  }

  private void tamper(byte[] key) {
    try (StoreLease lease = LevelDbStores.acquireIfOpen(shared).orElseThrow()) {
      List<byte[]> found = new ArrayList<>();
      try (var it = lease.store().rawEntries()) {
        it.forEachRemaining(e -> {
          if (java.util.Arrays.equals(e.key(), key)) found.add(e.value());
        });
      }
      byte[] bad = found.get(0).clone();
      bad[bad.length - 6] ^= 0x01;
      lease.store().submit(new RawPut(key, bad)).join();
    }
  }

  private void remove(byte[] key) {
    try (StoreLease lease = LevelDbStores.acquireIfOpen(shared).orElseThrow()) {
      lease.store().submit(new RawDelete(key)).join();
    }
  }

  @Test
  void recoveryReplaysExactlyWhatWasPersisted() {
    String pid = newPid();
    List<String> items = record(pid, 7, 0);
    assertEquals(new Recorder.Recovered(items), recover(pid, 0));
  }

  @Test
  void recoveryFromSnapshotPlusEventsGivesSameState() {
    String pid = newPid();
    List<String> items = record(pid, 8, 3); // snapshots at 3 and 6, events 7..8 after
    assertEquals(new Recorder.Recovered(items), recover(pid, 3));
  }

  @Test
  void damagedEventFailsRecoveryNamingPersistenceIdSequenceNumberAndKey() {
    String pid = newPid();
    record(pid, 5, 0);
    tamper(Format.eventKey(pid, 3));
    Object outcome = recover(pid, 0);
    // the RecoveryFailed signal carries the typed error itself
    ChecksumMismatchException e = assertInstanceOf(ChecksumMismatchException.class, outcome);
    assertEquals(pid, e.persistenceId());
    assertEquals(3L, e.sequenceNr());
    assertTrue(e.location().contains(shared.getFileName().toString()), e.location());
    assertTrue(e.location().contains(Format.hex(Format.eventKey(pid, 3))), e.location());
  }

  @Test
  void missingEventFailsRecoveryInsteadOfYieldingShorterHistory() {
    String pid = newPid();
    record(pid, 5, 0);
    remove(Format.eventKey(pid, 4));
    Object outcome = recover(pid, 0);
    SequenceGapException e = assertInstanceOf(SequenceGapException.class, outcome);
    assertEquals(pid, e.persistenceId());
    assertEquals(4L, e.sequenceNr());
  }

  @Test
  void damagedSnapshotFallsBackToOlderSnapshotWithSameState() {
    String pid = newPid();
    List<String> items = record(pid, 8, 3);
    TestProbe<CorruptSnapshotSkipped> reports = testKit.createTestProbe();
    Adapter.toClassic(testKit.system()).eventStream().subscribe(Adapter.toClassic(reports.ref()), CorruptSnapshotSkipped.class);
    tamper(Format.snapshotKey(pid, 6));
    assertEquals(new Recorder.Recovered(items), recover(pid, 3));
    CorruptSnapshotSkipped report = reports.receiveMessage();
    assertEquals(pid, report.persistenceId());
    assertEquals(6L, report.sequenceNr());
  }
}
