package dev.cairn.persistence;

import static dev.cairn.persistence.PolicyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import dev.cairn.persistence.leveldb.internal.CloseableIterator;
import dev.cairn.persistence.leveldb.internal.LevelDbStores;
import dev.cairn.persistence.leveldb.internal.SnapshotRecord;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An actor's journal and snapshot store are chosen per actor ({@code withJournalPluginId},
 * {@code withSnapshotPluginId}), whatever the system's defaults: here the defaults are Pekko's
 * testkit plugins and the actor uses Cairn's LevelDB ones.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluginSelectionTest {
  private final Path dir = createDir();

  private static Path createDir() {
    try {
      return Files.createTempDirectory("cairn-plugin-selection-");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @JUnit5TestKit
  public ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(ConfigFactory.parseString(""
          + "cairn.persistence.journal.leveldb.dir = \"" + dir.resolve("journal") + "\"\n"
          + "cairn.persistence.snapshot-store.leveldb.dir = \"" + dir.resolve("snapshots") + "\"\n")
      .withFallback(slowMachine())
      .withFallback(PersistenceTestKitPlugin.getInstance().config())
      .withFallback(PersistenceTestKitSnapshotPlugin.getInstance().config())
      .withFallback(ConfigFactory.load()).resolve()).build();

  @AfterAll
  void closeStoresAndDeleteThem() throws IOException {
    kit.shutdownTestKit();
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }

  @Test
  void eventsAndCheckpointsGoToThePluginsTheActorNames() {
    String id = uniqueId("plugin-selection");
    var actor = Counter.actor(id)
        .withJournalPluginId("cairn.persistence.journal.leveldb")
        .withSnapshotPluginId("cairn.persistence.snapshot-store.leveldb")
        .withCheckpointPolicy(CheckpointPolicy.everyEvents(2));
    var events = policyEvents(kit);
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    add(kit, ref, 5);
    add(kit, ref, 6);
    expectEvent(events, PolicyEvent.CheckpointTaken.class, id);
    add(kit, ref, 7);
    try (StoreLease journal = LevelDbStores.acquireIfOpen(dir.resolve("journal")).orElseThrow();
        StoreLease snapshots = LevelDbStores.acquireIfOpen(dir.resolve("snapshots")).orElseThrow()) {
      assertEquals(3L, journal.store().highestSequenceNr(id));
      List<Long> snapshotSeqNrs = new ArrayList<>();
      try (CloseableIterator<SnapshotRecord> it = snapshots.store().snapshots(id)) {
        it.forEachRemaining(s -> snapshotSeqNrs.add(s.sequenceNr()));
      }
      assertEquals(List.of(2L), snapshotSeqNrs);
    }
    // nothing went to the system's default (testkit) journal
    PersistenceTestKit.create(kit.system()).expectNothingPersisted(id);
    kit.stop(ref);
    assertEquals(18, get(kit, kit.spawn(actor.behavior())), "recovered from Cairn's plugins");
  }

}
