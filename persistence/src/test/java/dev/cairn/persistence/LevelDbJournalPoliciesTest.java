package dev.cairn.persistence;

import static dev.cairn.persistence.PolicyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The policies on Cairn's own LevelDB journal, snapshot store and read journal (plugin ids from DESIGN.md). */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LevelDbJournalPoliciesTest {

  /** A fresh store directory outside the working directory, deleted when the class is done. */
  private final Path dir = createDir();

  private static Path createDir() {
    try {
      return Files.createTempDirectory("cairn-policies-");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Config leveldb(Path dir) {
    return ConfigFactory.parseString(""
            + "pekko.persistence.journal.plugin = \"cairn.persistence.journal.leveldb\"\n"
            + "pekko.persistence.snapshot-store.plugin = \"cairn.persistence.snapshot-store.leveldb\"\n"
            + "cairn.persistence.journal.leveldb.dir = \"" + dir.resolve("journal") + "\"\n"
            + "cairn.persistence.snapshot-store.leveldb.dir = \"" + dir.resolve("snapshots") + "\"\n"
            + "cairn.persistence.journal.leveldb.fsync = off\n"
            + "cairn.persistence.snapshot-store.leveldb.fsync = off\n"
            + "pekko.loglevel = DEBUG\n")
        .withFallback(slowMachine())
        .withFallback(ConfigFactory.load()).resolve();
  }

  @JUnit5TestKit
  public ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(leveldb(dir)).build();

  @AfterAll
  void closeStoresAndDeleteThem() throws IOException {
    kit.shutdownTestKit(); // closes the LevelDB stores before their files go (the extension's later shutdown is a no-op)
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  @AfterEach
  void readable() {
    Counter.UNREADABLE_AMOUNTS.clear();
    Counter.UNREADABLE_TOTALS.clear();
  }

  @Test
  void rollbackToATimestampAndRedoWithAFallbackOnTheLevelDbJournal() {
    String id = uniqueId("leveldb-rollback");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    var actor = Counter.actor(id).withCheckpointPolicy(CheckpointPolicy.everyEvents(2).keepLast(3));
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    add(kit, ref, 1);
    add(kit, ref, 2);
    long now = System.currentTimeMillis();
    while (System.currentTimeMillis() <= now + 1) Thread.onSpinWait();
    add(kit, ref, 30);
    add(kit, ref, 40);
    var result = rollback(kit, ref, RollbackTarget.timestamp(Instant.ofEpochMilli(now)));
    assertEquals(2, assertInstanceOf(PolicyCommand.RollbackDone.class, result).event().toSequenceNr());
    assertEquals(3, get(kit, ref));
    kit.stop(ref);
    // the newest checkpoint (seqNr 4, total 73) is unreadable now: redo falls back to seqNr 2
    Counter.UNREADABLE_TOTALS.add(73L);
    ActorRef<Counter.Cmd> again = kit.spawn(actor.behavior());
    assertEquals(3, get(kit, again));
    expectFallbackRecovery(events, id, 4, 2);
  }

  @Test
  void quarantineRecordsAreReadThroughTheLevelDbReadJournal() throws Exception {
    String id = uniqueId("leveldb-quarantine");
    ActorRef<Counter.Cmd> ref = kit.spawn(Counter.actor(id).behavior());
    add(kit, ref, 1);
    add(kit, ref, 9401);
    add(kit, ref, 3);
    kit.stop(ref);
    Counter.UNREADABLE_AMOUNTS.add(9401);
    var skipping = Counter.actor(id).withPoisonEventPolicy(PoisonEventPolicy.SKIP_AND_QUARANTINE);
    ActorRef<Counter.Cmd> again = kit.spawn(skipping.behavior());
    assertEquals(4, get(kit, again));
    kit.stop(again);
    assertEquals(4, get(kit, kit.spawn(skipping.behavior())));
    List<QuarantineRecord> records = QuarantineRecords.fromReadJournal(kit.system(), "cairn.persistence.query.leveldb", id)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(1, records.size());
    assertEquals(2, records.get(0).sequenceNr());
    assertEquals("DESERIALIZATION", records.get(0).kind());
    List<QuarantineRecord> all = QuarantineRecords.allFromReadJournal(kit.system(), "cairn.persistence.query.leveldb")
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(records, all.stream().filter(q -> q.persistenceId().equals(id)).toList());
  }
}
