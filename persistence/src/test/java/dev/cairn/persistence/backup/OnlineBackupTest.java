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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backup taken while persistent actors keep writing to Cairn's LevelDB journal is a
 * consistent cut: restored, every actor recovers exactly the state it had acknowledged at the
 * backed-up sequence number.
 */
@ExtendWith(LogCapturingExtension.class)
class OnlineBackupTest {
  private static final int ACTORS = 4;
  private static final int SNAPSHOT_EVERY = 25;
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

  /**
   * Keeps adding to one counter, one command after the other, while {@code running}; the n-th
   * reply (the total after event n) goes to {@code totals.get(n - 1)}.
   */
  private static Behavior<Long> writer(ActorRef<Counter.Command> counter, AtomicBoolean running,
      AtomicLong acknowledged, List<Long> totals) {
    return Behaviors.setup(ctx -> {
      counter.tell(new Counter.Add(1, ctx.getSelf()));
      return Behaviors.receiveMessage(total -> {
        totals.add(total);
        acknowledged.incrementAndGet();
        // the next amount depends on the state so far: recovery must replay in order
        if (running.get()) counter.tell(new Counter.Add((int) (total % 7) + 1, ctx.getSelf()));
        return Behaviors.same();
      });
    });
  }

  /** What a run of {@link #backupWhileWriting} saw. */
  private record Outcome(BackupManifest manifest, Map<String, List<Long>> acknowledgedTotals,
      Map<String, List<EventRecord>> sourceEvents) {}

  private Outcome backupWhileWriting(Path source, Path archive,
      Function<String, Behavior<Counter.Command>> counters) {
    ActorTestKit kit = ActorTestKit.create("online-backup", cairnConfig(source));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong acknowledged = new AtomicLong();
    Map<String, List<Long>> totals = new ConcurrentHashMap<>();
    try {
      for (int i = 0; i < ACTORS; i++) {
        String id = "counter-" + i;
        totals.put(id, new CopyOnWriteArrayList<>());
        kit.spawn(writer(kit.spawn(counters.apply(id)), running, acknowledged, totals.get(id)));
      }
      awaitAtLeast(kit, acknowledged, 600); // > 100 events each: snapshots, deletions

      BackupManifest manifest = CairnBackup.backup(
          StoreDirectories.fromConfig(kit.system().settings().config()), archive);

      long atBackup = acknowledged.get();
      awaitAtLeast(kit, acknowledged, atBackup + 100); // writing went on after the backup
      running.set(false);
      assertEquals(BackupMode.ONLINE, manifest.mode());
      assertEquals(ACTORS, manifest.persistenceIds().size());
      // what the source holds up to each backed-up sequence number (the plugin still has it open)
      Map<String, List<EventRecord>> sourceEvents = new ConcurrentHashMap<>();
      try (StoreLease lease = LevelDbStores.acquireIfOpen(
          StoreDirectories.inDataDir(source).journalDir()).orElseThrow()) {
        for (PersistenceIdSummary id : manifest.persistenceIds()) {
          assertTrue(lease.store().highestSequenceNr(id.persistenceId()) > id.highestSeqNr()
              || totals.get(id.persistenceId()).size() == id.highestSeqNr());
          sourceEvents.put(id.persistenceId(), events(lease, id.persistenceId(), id.highestSeqNr()));
        }
      }
      return new Outcome(manifest, totals, sourceEvents);
    } finally {
      running.set(false);
      kit.shutdownTestKit();
    }
  }

  /** Restored, each counter recovers the total it acknowledged at its backed-up seqNr. */
  private void assertRecoversAcknowledgedState(Path restored, Outcome outcome,
      Function<String, Behavior<Counter.Command>> counters) {
    ActorTestKit again = ActorTestKit.create("restored", cairnConfig(restored));
    try {
      for (PersistenceIdSummary id : outcome.manifest().persistenceIds()) {
        List<Long> acked = outcome.acknowledgedTotals().get(id.persistenceId());
        long expected = acked.get((int) id.highestSeqNr() - 1);
        ActorRef<Counter.Command> counter = again.spawn(counters.apply(id.persistenceId()));
        TestProbe<Long> probe = again.createTestProbe();
        counter.tell(new Counter.Get(probe.ref()));
        assertEquals(expected, probe.receiveMessage(TIMEOUT), id.persistenceId());
      }
    } finally {
      again.shutdownTestKit();
    }
  }

  @Test
  void backupWhileActorsWriteRestoresAPrefixConsistentJournalThatRecoversTheSameState() {
    Path source = tmp.resolve("source");
    Path archive = tmp.resolve("online.zip");
    Function<String, Behavior<Counter.Command>> counters =
        id -> Counter.create(id, SNAPSHOT_EVERY);

    Outcome outcome = backupWhileWriting(source, archive, counters);

    assertTrue(outcome.manifest().totalSnapshots() > 0, "the counters snapshot every 25 events");
    Path restored = tmp.resolve("restored");
    CairnBackup.restore(archive, restored);
    StoreDirectories restoredDirs = StoreDirectories.inDataDir(restored);
    try (StoreLease journal = LevelDbStores.acquire(restoredDirs.journalDir(),
            StoreOptions.defaults());
        StoreLease snapshots = LevelDbStores.acquire(restoredDirs.snapshotDir(),
            StoreOptions.defaults())) {
      assertTrue(journal.store().verify().ok(), journal.store().verify().problems().toString());
      for (PersistenceIdSummary id : outcome.manifest().persistenceIds()) {
        String pid = id.persistenceId();
        assertEquals(id.highestSeqNr(), journal.store().highestSequenceNr(pid));
        // the restored journal is exactly the source's prefix up to the backed-up seqNr
        List<EventRecord> copy = events(journal, pid, Long.MAX_VALUE);
        List<EventRecord> original = outcome.sourceEvents().get(pid);
        assertEquals(id.highestSeqNr(), copy.size(), pid);
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
    assertRecoversAcknowledgedState(restored, outcome, counters);
  }

  @Test
  void backupWhileActorsSnapshotAndDeleteOldEventsStillRecoversTheSameState() {
    Path source = tmp.resolve("source");
    Path archive = tmp.resolve("online.zip");
    Function<String, Behavior<Counter.Command>> counters =
        id -> Counter.createDeletingEvents(id, SNAPSHOT_EVERY);

    Outcome outcome = backupWhileWriting(source, archive, counters);

    Path restored = tmp.resolve("restored");
    CairnBackup.restore(archive, restored);
    for (PersistenceIdSummary id : outcome.manifest().persistenceIds()) {
      assertTrue(id.snapshots() > 0, id.toString());
      assertTrue(id.events() < id.highestSeqNr(), "old events were deleted: " + id);
    }
    assertRecoversAcknowledgedState(restored, outcome, counters);
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
