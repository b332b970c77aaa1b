package dev.cairn.persistence.leveldb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.cairn.persistence.leveldb.internal.ImportProtocol;
import dev.cairn.persistence.leveldb.internal.LevelDbStores;
import dev.cairn.persistence.leveldb.internal.PersistenceIdState;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The journal's import protocol: an id starts after a deleted prefix only while it has nothing
 * stored, reads exactly like an id whose actor deleted that prefix, and takes its next write
 * right after it.
 */
@ExtendWith({TestKitJUnit5Extension.class, LogCapturingExtension.class})
class ImportProtocolTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final Path dir = TestConfigs.freshDir("import-protocol");

  @JUnit5TestKit
  final ActorTestKit testKit = ActorTestKit.create("ImportProtocolTest", TestConfigs.plugins(dir, ""));

  private ActorRef journal() {
    return Persistence.get(Adapter.toClassic(testKit.system())).journalFor(null, ConfigFactory.empty());
  }

  private Object ask(ImportProtocol.Command command, TestProbe<Object> probe) {
    journal().tell(command, ActorRef.noSender());
    return probe.receiveMessage(TIMEOUT);
  }

  private long highestSeqNr(String pid) {
    TestProbe<Object> probe = testKit.createTestProbe();
    journal().tell(new JournalProtocol.ReplayMessages(1L, Long.MAX_VALUE, 0L, pid, Adapter.toClassic(probe.ref())),
        ActorRef.noSender());
    return probe.expectMessageClass(JournalProtocol.RecoverySuccess.class, TIMEOUT).highestSequenceNr();
  }

  @Test
  void startAfterDeletedGivesTheStateOfADeletedPrefixAndTheNextWriteFollowsIt() {
    TestProbe<Object> probe = testKit.createTestProbe();
    ActorRef replyTo = Adapter.toClassic(probe.ref());

    Object started = ask(new ImportProtocol.StartAfterDeleted("a", 7, replyTo), probe);
    Object again = ask(new ImportProtocol.StartAfterDeleted("a", 7, replyTo), probe);
    Object gap = ask(new ImportProtocol.WriteRejectedMarker("a", 9, 1L, "w", replyTo), probe);
    Object next = ask(new ImportProtocol.WriteRejectedMarker("a", 8, 1L, "w", replyTo), probe);

    assertEquals(new ImportProtocol.Done("a", 7), started);
    assertEquals(new ImportProtocol.Done("a", 7), again); // idempotent
    assertTrue(gap instanceof ImportProtocol.Failed f && f.cause() instanceof SequenceGapException, gap.toString());
    assertEquals(new ImportProtocol.Done("a", 8), next);
    assertEquals(8, highestSeqNr("a"));
    try (StoreLease lease = LevelDbStores.acquireIfOpen(dir.resolve("journal")).orElseThrow()) {
      assertEquals(new PersistenceIdState(8, 7), lease.store().persistenceIdState("a"));
      assertTrue(lease.store().persistenceIds().contains("a"));
      assertTrue(lease.store().verify().problems().isEmpty(), lease.store().verify().problems().toString());
    }
  }

  @Test
  void startAfterDeletedIsRefusedForAnIdThatHasAState() {
    TestProbe<Object> probe = testKit.createTestProbe();
    ActorRef replyTo = Adapter.toClassic(probe.ref());
    assertEquals(new ImportProtocol.Done("b", 1),
        ask(new ImportProtocol.WriteRejectedMarker("b", 1, 1L, "w", replyTo), probe));

    Object refused = ask(new ImportProtocol.StartAfterDeleted("b", 5, replyTo), probe);

    assertTrue(refused instanceof ImportProtocol.Failed, refused.toString());
    String message = ((ImportProtocol.Failed) refused).cause().getMessage();
    assertTrue(message.contains("[b] cannot start after deleted events up to sequence number [5]"), message);
    assertEquals(1, highestSeqNr("b"));
  }
}
