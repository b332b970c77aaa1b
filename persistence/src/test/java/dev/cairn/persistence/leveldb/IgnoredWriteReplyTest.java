package dev.cairn.persistence.leveldb;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.AbstractPersistentActor;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentEnvelope;
import org.apache.pekko.persistence.PersistentRepr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code skip-ignored-write-reply = on} (the default): a write sent the way Pekko's typed
 * {@code EventSourcedBehavior} sends it (a typed actor, events without sender) gets no
 * {@code WriteMessagesSuccessful}, which that behaviour ignores; every other writer gets it, and
 * a classic {@code PersistentActor}, which waits for it before it sends its next batch, keeps working.
 */
@ExtendWith(TestKitJUnit5Extension.class)
class IgnoredWriteReplyTest {
  private static final Path dir = TestConfigs.freshDir("ignored-reply");

  @JUnit5TestKit
  final ActorTestKit testKit = ActorTestKit.create("IgnoredWriteReplyTest", TestConfigs.plugins(dir, ""));

  private static JournalProtocol.WriteMessages write(String pid, long seqNr, ActorRef persistentActor, ActorRef eventSender) {
    PersistentRepr p = PersistentRepr.apply("e-" + seqNr, seqNr, pid, "", false, eventSender, "w");
    List<PersistentEnvelope> envs = List.of(AtomicWrite.apply(p));
    return new JournalProtocol.WriteMessages(CollectionConverters.asScala(envs).toList(), persistentActor, 1);
  }

  private static ActorRef journal(ActorTestKit kit) {
    return Persistence.get(Adapter.toClassic(kit.system())).journalFor(null, ConfigFactory.empty());
  }

  @Test
  void aTypedActorWritingEventsWithoutSenderGetsOnlyThePerEventReplies() {
    TestProbe<Object> probe = testKit.createTestProbe();
    ActorRef journal = journal(testKit);
    for (long s = 1; s <= 3; s++) {
      journal.tell(write("typed", s, Adapter.toClassic(probe.ref()), ActorRef.noSender()), ActorRef.noSender());
      // the first reply is the event's own: no WriteMessagesSuccessful before it
      assertEquals(s, probe.expectMessageClass(JournalProtocol.WriteMessageSuccess.class).persistent().sequenceNr());
    }
    probe.expectNoMessage();
  }

  @Test
  void eventsWithASenderStillGetWriteMessagesSuccessfulFirst() {
    TestProbe<Object> probe = testKit.createTestProbe();
    ActorRef sender = Adapter.toClassic(testKit.createTestProbe().ref());
    journal(testKit).tell(write("with-sender", 1, Adapter.toClassic(probe.ref()), sender), ActorRef.noSender());
    probe.expectMessage(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
    assertEquals(1L, probe.expectMessageClass(JournalProtocol.WriteMessageSuccess.class).persistent().sequenceNr());
  }

  @Test
  void withTheSettingOffEveryWriterGetsWriteMessagesSuccessful() {
    Path other = TestConfigs.freshDir("ignored-reply-off");
    ActorTestKit kit = ActorTestKit.create("IgnoredWriteReplyOff",
        TestConfigs.plugins(other, "cairn.persistence.journal.leveldb.skip-ignored-write-reply = off\n"));
    try {
      TestProbe<Object> probe = kit.createTestProbe();
      journal(kit).tell(write("typed-off", 1, Adapter.toClassic(probe.ref()), ActorRef.noSender()), ActorRef.noSender());
      probe.expectMessage(JournalProtocol.WriteMessagesSuccessful$.MODULE$);
      assertEquals(1L, probe.expectMessageClass(JournalProtocol.WriteMessageSuccess.class).persistent().sequenceNr());
    } finally {
      kit.shutdownTestKit();
    }
  }

  /** Persists two events per command, as two persist calls (one write request of two atomic writes). */
  public static final class ClassicCounter extends AbstractPersistentActor {
    private final String pid;
    private final ActorRef replyTo;
    private int count;

    public ClassicCounter(String pid, ActorRef replyTo) {
      this.pid = pid;
      this.replyTo = replyTo;
    }

    @Override
    public String persistenceId() {
      return pid;
    }

    @Override
    public Receive createReceiveRecover() {
      return receiveBuilder().match(String.class, e -> count++).build();
    }

    @Override
    public Receive createReceive() {
      return receiveBuilder().matchEquals("add", c -> {
        persist("a", e -> count++);
        persist("b", e -> {
          count++;
          replyTo.tell(count, self());
        });
      }).build();
    }
  }

  @Test
  void aClassicPersistentActorThatWaitsForWriteMessagesSuccessfulKeepsWriting() {
    // a classic PersistentActor sends its next write request only after WriteMessagesSuccessful:
    // without it the second command's events would never be written
    TestProbe<Object> probe = testKit.createTestProbe();
    TestProbe<ActorRef> started = testKit.createTestProbe();
    Props props = Props.create(ClassicCounter.class, "classic-1", Adapter.toClassic(probe.ref()));
    testKit.spawn(Behaviors.<Void>setup(ctx -> {
      started.getRef().tell(Adapter.actorOf(ctx, props, "classic-counter"));
      return Behaviors.empty();
    }));
    ActorRef counter = started.receiveMessage();
    for (int i = 0; i < 5; i++) counter.tell("add", ActorRef.noSender());
    for (int i = 1; i <= 5; i++) assertEquals(2 * i, probe.expectMessageClass(Integer.class));
  }
}
