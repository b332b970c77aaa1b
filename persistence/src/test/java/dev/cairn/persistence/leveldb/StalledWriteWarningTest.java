package dev.cairn.persistence.leveldb;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import dev.cairn.persistence.leveldb.internal.LevelDbStores;
import dev.cairn.persistence.leveldb.internal.WriterHold;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The journal answers writes itself, without Pekko's circuit breaker, so a write that hangs (a
 * hung disk, simulated by holding the writer thread) is not failed after the call timeout; it
 * is reported in the log instead, and answered when it completes.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class StalledWriteWarningTest {
  private static final Path dir = TestConfigs.freshDir("stalled-write");

  @JUnit5TestKit
  final ActorTestKit testKit = ActorTestKit.create("StalledWriteWarningTest", TestConfigs.plugins(dir,
      "cairn.persistence.journal.leveldb.circuit-breaker.call-timeout = 300ms\n"));

  private static JournalProtocol.WriteMessages write(String pid, long seqNr, TestProbe<Object> probe) {
    PersistentRepr p = PersistentRepr.apply("e-" + seqNr, seqNr, pid, "", false, Adapter.toClassic(probe.ref()), "w");
    List<PersistentEnvelope> envs = List.of(AtomicWrite.apply(p));
    return new JournalProtocol.WriteMessages(CollectionConverters.asScala(envs).toList(), Adapter.toClassic(probe.ref()), 1);
  }

  @Test
  void warnsAboutAWriteWaitingLongerThanTheCallTimeoutAndAnswersItWhenItCompletes() throws Exception {
    ActorRef journal = Persistence.get(Adapter.toClassic(testKit.system())).journalFor(null, ConfigFactory.empty());
    TestProbe<Object> probe = testKit.createTestProbe();
    journal.tell(write("stalled", 1, probe), ActorRef.noSender());
    probe.expectMessage(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    probe.expectMessageClass(JournalProtocol.WriteMessageSuccess.class);

    try (var lease = LevelDbStores.acquireIfOpen(dir.resolve("journal")).orElseThrow()) {
      CountDownLatch release = WriterHold.hold(lease.store(), false);
      try {
        LoggingTestKit.warn("has waited").withMessageContains("longer than circuit-breaker.call-timeout (300 ms)")
            .expect(testKit.system(), () -> {
              journal.tell(write("stalled", 2, probe), ActorRef.noSender());
              return null;
            });
        // well past the call timeout, and still no failure reply
        probe.expectNoMessage(java.time.Duration.ofMillis(500));
        LoggingTestKit.info("complete again").expect(testKit.system(), () -> {
          release.countDown();
          return null;
        });
      } finally {
        release.countDown();
      }
    }
    probe.expectMessage(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    assertEquals(2L, probe.expectMessageClass(JournalProtocol.WriteMessageSuccess.class).persistent().sequenceNr());
  }
}
