package dev.cairn.persistence.leveldb;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import dev.cairn.persistence.leveldb.internal.Format;
import dev.cairn.persistence.leveldb.internal.LevelDbStores;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import dev.cairn.persistence.leveldb.internal.StoreOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.DeleteSnapshotSuccess;
import org.apache.pekko.persistence.DeleteSnapshotsSuccess;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SaveSnapshotFailure;
import org.apache.pekko.persistence.SaveSnapshotSuccess;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import scala.Option;

/**
 * The contract of Pekko's plugin TCK {@code SnapshotStoreSpec}, ported to JUnit 5 (every case,
 * same intent), plus Cairn's corrupt-snapshot fallback and keep-N retention.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SnapshotStoreContractTest {
  private static final AtomicInteger counter = new AtomicInteger();
  private static final Path dir = TestConfigs.freshDir("snapshot-contract");

  @JUnit5TestKit
  final ActorTestKit testKit = ActorTestKit.create("SnapshotStoreContractTest", TestConfigs.plugins(dir,
      "pekko.persistence.publish-plugin-commands = on\n"
          + "cairn.persistence.snapshot-store.leveldb.max-snapshot-size = 20 KiB\n"
          + "cairn.persistence.snapshot-store.leveldb.dir = \"" + dir.resolve("journal") + "\"\n"
          + "retained-store = ${cairn.persistence.snapshot-store.leveldb} { dir = \"" + dir.resolve("retained") + "\", keep-snapshots = 2 }"));

  private String pid;
  private ActorRef store;
  private TestProbe<Object> sender;
  private List<SnapshotMetadata> metadata;

  @BeforeEach
  void writeFiveSnapshots() {
    pid = "s-" + counter.incrementAndGet();
    store = Persistence.get(Adapter.toClassic(testKit.system())).snapshotStoreFor(null, ConfigFactory.empty());
    sender = testKit.createTestProbe();
    metadata = writeSnapshots(store, pid, 5);
  }

  private List<SnapshotMetadata> writeSnapshots(ActorRef target, String persistenceId, int n) {
    List<SnapshotMetadata> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      target.tell(new SnapshotProtocol.SaveSnapshot(SnapshotMetadata.apply(persistenceId, i + 10, 0L), "s-" + i), Adapter.toClassic(sender.ref()));
      out.add(sender.expectMessageClass(SaveSnapshotSuccess.class).metadata());
    }
    return out;
  }

  private void load(String persistenceId, SnapshotSelectionCriteria criteria, long toSeqNr) {
    store.tell(new SnapshotProtocol.LoadSnapshot(persistenceId, criteria, toSeqNr), Adapter.toClassic(sender.ref()));
  }

  private void expectLoaded(SnapshotMetadata md, Object snapshot, long toSeqNr) {
    sender.expectMessage(new SnapshotProtocol.LoadSnapshotResult(Option.apply(new SelectedSnapshot(md, snapshot)), toSeqNr));
  }

  private void expectNothingLoaded(long toSeqNr) {
    sender.expectMessage(new SnapshotProtocol.LoadSnapshotResult(Option.empty(), toSeqNr));
  }

  private static SnapshotSelectionCriteria criteria(long maxSeqNr, long maxTimestamp) {
    return SnapshotSelectionCriteria.create(maxSeqNr, maxTimestamp);
  }

  private static final SnapshotSelectionCriteria LATEST = SnapshotSelectionCriteria.latest();

  @Test
  void loadsNothingForUnknownPersistenceId() {
    load("invalid", LATEST, Long.MAX_VALUE);
    expectNothingLoaded(Long.MAX_VALUE);
  }

  @Test
  void loadsNothingWhenTimestampCriteriaMatchNone() {
    load(pid, criteria(Long.MAX_VALUE, 100), Long.MAX_VALUE);
    expectNothingLoaded(Long.MAX_VALUE);
  }

  @Test
  void loadsNothingWhenSequenceNumberCriteriaMatchNone() {
    load(pid, criteria(7, Long.MAX_VALUE), Long.MAX_VALUE);
    expectNothingLoaded(Long.MAX_VALUE);
    load(pid, LATEST, 7);
    expectNothingLoaded(7);
  }

  @Test
  void loadsMostRecentSnapshot() {
    load(pid, LATEST, Long.MAX_VALUE);
    expectLoaded(metadata.get(4), "s-5", Long.MAX_VALUE);
    assertTrue(metadata.get(4).timestamp() > 0, "timestamp recorded");
  }

  @Test
  void loadsMostRecentSnapshotMatchingUpperSequenceNumberBound() {
    load(pid, criteria(13, Long.MAX_VALUE), Long.MAX_VALUE);
    expectLoaded(metadata.get(2), "s-3", Long.MAX_VALUE);
    load(pid, LATEST, 13);
    expectLoaded(metadata.get(2), "s-3", 13);
  }

  @Test
  void loadsMostRecentSnapshotMatchingSequenceNumberAndTimestampBounds() {
    load(pid, criteria(13, metadata.get(2).timestamp()), Long.MAX_VALUE);
    expectLoaded(metadata.get(2), "s-3", Long.MAX_VALUE);
    load(pid, criteria(Long.MAX_VALUE, metadata.get(2).timestamp()), 13);
    expectLoaded(metadata.get(2), "s-3", 13);
  }

  @Test
  void deletesSingleSnapshotIdentifiedBySequenceNumber() {
    TestProbe<Object> sub = testKit.createTestProbe();
    // classic subscribe registers synchronously, so no event can be missed
    Adapter.toClassic(testKit.system()).eventStream().subscribe(Adapter.toClassic(sub.ref()), SnapshotProtocol.DeleteSnapshot.class);
    SnapshotMetadata md = SnapshotMetadata.apply(pid, metadata.get(2).sequenceNr(), 0L);
    SnapshotProtocol.DeleteSnapshot cmd = new SnapshotProtocol.DeleteSnapshot(md);
    store.tell(cmd, Adapter.toClassic(sender.ref()));
    sub.expectMessage(cmd);
    sender.expectMessage(new DeleteSnapshotSuccess(md));
    load(pid, criteria(md.sequenceNr(), Long.MAX_VALUE), Long.MAX_VALUE);
    expectLoaded(metadata.get(1), "s-2", Long.MAX_VALUE);
  }

  @Test
  void deletesAllSnapshotsMatchingSequenceNumberAndTimestampBounds() {
    TestProbe<Object> sub = testKit.createTestProbe();
    // classic subscribe registers synchronously, so no event can be missed
    Adapter.toClassic(testKit.system()).eventStream().subscribe(Adapter.toClassic(sub.ref()), SnapshotProtocol.DeleteSnapshots.class);
    SnapshotMetadata md = metadata.get(2);
    SnapshotSelectionCriteria c = criteria(md.sequenceNr(), md.timestamp());
    SnapshotProtocol.DeleteSnapshots cmd = new SnapshotProtocol.DeleteSnapshots(pid, c);
    store.tell(cmd, Adapter.toClassic(sender.ref()));
    sub.expectMessage(cmd);
    sender.expectMessage(new DeleteSnapshotsSuccess(c));
    load(pid, c, Long.MAX_VALUE);
    expectNothingLoaded(Long.MAX_VALUE);
    load(pid, criteria(metadata.get(3).sequenceNr(), metadata.get(3).timestamp()), Long.MAX_VALUE);
    expectLoaded(metadata.get(3), "s-4", Long.MAX_VALUE);
  }

  @Test
  void keepsSnapshotsOutsideUpperTimestampBoundWhenDeleting() {
    SnapshotMetadata md = metadata.get(3);
    SnapshotSelectionCriteria c = criteria(md.sequenceNr(), md.timestamp() - 1);
    store.tell(new SnapshotProtocol.DeleteSnapshots(pid, c), Adapter.toClassic(sender.ref()));
    sender.expectMessage(new DeleteSnapshotsSuccess(c));
    load(pid, criteria(md.sequenceNr(), md.timestamp()), Long.MAX_VALUE);
    expectLoaded(md, "s-4", Long.MAX_VALUE);
  }

  @Test
  void overwritesSnapshotWithSameSequenceNumber() {
    SnapshotMetadata md = metadata.get(4);
    store.tell(new SnapshotProtocol.SaveSnapshot(md, "s-5-modified"), Adapter.toClassic(sender.ref()));
    assertEquals(md.sequenceNr(), sender.expectMessageClass(SaveSnapshotSuccess.class).metadata().sequenceNr());
    load(pid, criteria(md.sequenceNr(), Long.MAX_VALUE), Long.MAX_VALUE);
    SnapshotProtocol.LoadSnapshotResult r = sender.expectMessageClass(SnapshotProtocol.LoadSnapshotResult.class);
    assertEquals("s-5-modified", r.snapshot().get().snapshot());
    assertEquals(md.sequenceNr(), r.snapshot().get().metadata().sequenceNr());
  }

  @Test
  void savesSnapshotOfTenThousandBytes() {
    store.tell(new SnapshotProtocol.SaveSnapshot(SnapshotMetadata.apply(pid, 100, 0L), "0".repeat(10000)), Adapter.toClassic(sender.ref()));
    sender.expectMessageClass(SaveSnapshotSuccess.class);
  }

  @Test
  void serializesSnapshotsThroughPekkoSerialization() {
    TestEvent snap = new TestEvent("state", 7);
    store.tell(new SnapshotProtocol.SaveSnapshot(SnapshotMetadata.apply(pid, 100, 0L), snap), Adapter.toClassic(sender.ref()));
    sender.expectMessageClass(SaveSnapshotSuccess.class);
    load(pid, LATEST, Long.MAX_VALUE);
    SnapshotProtocol.LoadSnapshotResult r = sender.expectMessageClass(SnapshotProtocol.LoadSnapshotResult.class);
    assertEquals(snap, r.snapshot().get().snapshot());
    assertEquals(100L, r.snapshot().get().metadata().sequenceNr());
    assertEquals(pid, r.snapshot().get().metadata().persistenceId());
  }

  // ------------------------------------------------------------------ Cairn additions

  @Test
  void failsToSaveOversizedSnapshotWithTypedError() {
    store.tell(new SnapshotProtocol.SaveSnapshot(SnapshotMetadata.apply(pid, 100, 0L), "0".repeat(30_000)), Adapter.toClassic(sender.ref()));
    SaveSnapshotFailure f = sender.expectMessageClass(SaveSnapshotFailure.class);
    EventTooLargeException e = assertInstanceOf(EventTooLargeException.class, f.cause());
    assertEquals(100L, e.sequenceNr());
  }

  @Test
  void corruptSnapshotFallsBackToNextOlderOneAndIsReported() {
    TestProbe<CorruptSnapshotSkipped> reports = testKit.createTestProbe();
    // classic subscribe registers synchronously, so no event can be missed
    Adapter.toClassic(testKit.system()).eventStream().subscribe(Adapter.toClassic(reports.ref()), CorruptSnapshotSkipped.class);
    // damage the newest snapshot (seqNr 15) through the storage layer's raw access
    Path storeDir = dir.resolve("journal");
    try (StoreLease lease = LevelDbStores.acquireIfOpen(storeDir).orElseThrow()) {
      byte[] k = Format.snapshotKey(pid, 15);
      Optional<byte[]> v = lease.store().snapshotEntries(pid, 15, 15).stream().map(e -> e.value()).findFirst();
      byte[] bad = v.orElseThrow().clone();
      bad[bad.length - 6] ^= 0x01;
      lease.store().submit(new RawPut(k, bad)).join();
    }
    load(pid, LATEST, Long.MAX_VALUE);
    expectLoaded(metadata.get(3), "s-4", Long.MAX_VALUE);
    CorruptSnapshotSkipped report = reports.receiveMessage();
    assertEquals(pid, report.persistenceId());
    assertEquals(15L, report.sequenceNr());
    assertTrue(report.reason().contains("Checksum mismatch"), report.reason());
  }

  @Test
  void keepsOnlyNewestSnapshotsWhenRetentionIsConfigured() {
    ActorRef retained = Persistence.get(Adapter.toClassic(testKit.system())).snapshotStoreFor("retained-store", ConfigFactory.empty());
    List<SnapshotMetadata> mds = writeSnapshots(retained, pid, 4);
    retained.tell(new SnapshotProtocol.LoadSnapshot(pid, criteria(12, Long.MAX_VALUE), Long.MAX_VALUE), Adapter.toClassic(sender.ref()));
    expectNothingLoaded(Long.MAX_VALUE);
    retained.tell(new SnapshotProtocol.LoadSnapshot(pid, criteria(13, Long.MAX_VALUE), Long.MAX_VALUE), Adapter.toClassic(sender.ref()));
    expectLoaded(mds.get(2), "s-3", Long.MAX_VALUE);
  }
}
