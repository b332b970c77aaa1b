package dev.cairn.persistence.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cairn.persistence.leveldb.CairnLevelDb;
import dev.cairn.persistence.leveldb.internal.CloseableIterator;
import dev.cairn.persistence.leveldb.internal.EventRecord;
import dev.cairn.persistence.leveldb.internal.LevelDbStores;
import dev.cairn.persistence.leveldb.internal.SnapshotRecord;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import dev.cairn.persistence.leveldb.internal.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup taken while persistent actors keep writing to Cairn's LevelDB journal is a
 * consistent cut: restored, every actor recovers exactly the state its first N events give.
 */
@ExtendWith(LogCapturingExtension.class)
class OnlineBackupTest {
  private static final int ACTORS = 4;
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  @TempDir Path tmp;

  static Config cairnConfig(Path dataDir) {
    StoreDirectories dirs = StoreDirectories.inDataDir(dataDir);
    return ConfigFactory.parseString(
            "pekko.persistence.journal.plugin = \"" + CairnLevelDb.JOURNAL_PLUGIN_ID + "\"\n"
                + "pekko.persistence.snapshot-store.plugin = \"" + CairnLevelDb.SNAPSHOT_PLUGIN_ID
                + "\"\n"
                + "cairn.persistence.journal.leveldb.fsync = off\n"
                + "cairn.persistence.snapshot-store.leveldb.fsync = off\n")
        .withFallback(ConfigFactory.parseMap(Map.of(
            "cairn.persistence.journal.leveldb.dir", dirs.journalDir().toString(),
            "cairn.persistence.snapshot-store.leveldb.dir", dirs.snapshotDir().toString())))
        .withFallback(ConfigFactory.load());
  }

  /** Keeps adding to one counter, one command after the other, while {@code running}. */
  private static Behavior<Long> writer(
      ActorRef<Counter.Command> counter, AtomicBoolean running, AtomicLong acknowledged) {
    return Behaviors.setup(ctx -> {
      counter.tell(new Counter.Add(1, ctx.getSelf()));
      return Behaviors.receiveMessage(total -> {
        acknowledged.incrementAndGet();
        // the next amount depends on the state so far: recovery must replay in order
        if (running.get()) counter.tell(new Counter.Add((int) (total % 7) + 1, ctx.getSelf()));
        return Behaviors.same();
      });
    });
  }

  @Test
  void backupWhileActorsWriteRestoresAPrefixConsistentJournalThatRecoversTheSameState() {
    Path source = tmp.resolve("source");
    Path archive = tmp.resolve("online.zip");
    ActorTestKit kit = ActorTestKit.create("online-backup", cairnConfig(source));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong acknowledged = new AtomicLong();
    BackupManifest manifest;
    Map<String, Long> expectedTotals = new HashMap<>();
    Map<String, List<EventRecord>> sourcePrefixes = new HashMap<>();
    try {
      for (int i = 0; i < ACTORS; i++) {
        ActorRef<Counter.Command> counter = kit.spawn(Counter.create("counter-" + i, 25));
        kit.spawn(writer(counter, running, acknowledged));
      }
      awaitAtLeast(kit, acknowledged, 200);

      manifest = CairnBackup.backup(
          StoreDirectories.fromConfig(kit.system().settings().config()), archive);

      long atBackup = acknowledged.get();
      awaitAtLeast(kit, acknowledged, atBackup + 100); // writing went on after the backup
      running.set(false);
      assertEquals(BackupMode.ONLINE, manifest.mode());
      assertEquals(ACTORS, manifest.persistenceIds().size());

      // what the source holds up to each backed-up sequence number (the plugin still has it open)
      Serialization serialization = SerializationExtension.get(kit.system());
      try (StoreLease lease = LevelDbStores.acquireIfOpen(
          StoreDirectories.inDataDir(source).journalDir()).orElseThrow()) {
        for (PersistenceIdSummary id : manifest.persistenceIds()) {
          assertTrue(lease.store().highestSequenceNr(id.persistenceId()) >= id.highestSeqNr());
          List<EventRecord> prefix = events(lease, id.persistenceId(), id.highestSeqNr());
          assertEquals(id.highestSeqNr(), prefix.size());
          sourcePrefixes.put(id.persistenceId(), prefix);
          long total = 0;
          for (EventRecord e : prefix) {
            Counter.Added added = (Counter.Added) serialization
                .deserialize(e.payload(), e.serializerId(), e.manifest()).get();
            total += added.amount();
          }
          expectedTotals.put(id.persistenceId(), total);
        }
      }
      assertTrue(manifest.totalSnapshots() > 0, "the counters snapshot every 25 events");
    } finally {
      running.set(false);
      kit.shutdownTestKit();
    }

    Path restored = tmp.resolve("restored");
    CairnBackup.restore(archive, restored);

    StoreDirectories restoredDirs = StoreDirectories.inDataDir(restored);
    try (StoreLease journal = LevelDbStores.acquire(restoredDirs.journalDir(),
            StoreOptions.defaults());
        StoreLease snapshots = LevelDbStores.acquire(restoredDirs.snapshotDir(),
            StoreOptions.defaults())) {
      assertTrue(journal.store().verify().ok(), journal.store().verify().problems().toString());
      for (PersistenceIdSummary id : manifest.persistenceIds()) {
        String pid = id.persistenceId();
        assertEquals(id.highestSeqNr(), journal.store().highestSequenceNr(pid));
        List<EventRecord> copy = events(journal, pid, Long.MAX_VALUE);
        List<EventRecord> original = sourcePrefixes.get(pid);
        assertEquals(original.size(), copy.size(), pid);
        for (int i = 0; i < copy.size(); i++) {
          assertEquals(original.get(i).sequenceNr(), copy.get(i).sequenceNr());
          assertArrayEquals(original.get(i).payload(), copy.get(i).payload());
        }
        // every snapshot in the archive has its events
        try (CloseableIterator<SnapshotRecord> it = snapshots.store().snapshots(pid)) {
          while (it.hasNext()) {
            SnapshotRecord s = it.next();
            assertTrue(s.sequenceNr() <= id.highestSeqNr(),
                pid + " snapshot at " + s.sequenceNr() + " beyond events " + id.highestSeqNr());
          }
        }
      }
    }

    ActorTestKit again = ActorTestKit.create("restored", cairnConfig(restored));
    try {
      for (PersistenceIdSummary id : manifest.persistenceIds()) {
        ActorRef<Counter.Command> counter =
            again.spawn(Counter.create(id.persistenceId(), 25));
        TestProbe<Long> probe = again.createTestProbe();
        counter.tell(new Counter.Get(probe.ref()));
        assertEquals(expectedTotals.get(id.persistenceId()), probe.receiveMessage(TIMEOUT),
            id.persistenceId());
      }
    } finally {
      again.shutdownTestKit();
    }
  }

  private static List<EventRecord> events(StoreLease lease, String pid, long to) {
    List<EventRecord> out = new ArrayList<>();
    try (CloseableIterator<EventRecord> it = lease.store().events(pid, 1, to)) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  private static void awaitAtLeast(ActorTestKit kit, AtomicLong counter, long target) {
    kit.createTestProbe().awaitAssert(TIMEOUT, () -> {
      assertTrue(counter.get() >= target,
          "only " + counter.get() + " writes acknowledged, waiting for " + target);
      return null;
    });
  }
}
