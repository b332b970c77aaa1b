package dev.cairn.persistence;

import static dev.cairn.persistence.PolicyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A {@code TakeCheckpoint} waiting for its reply is answered with {@code CheckpointFailed} when the
 * actor fails, restarts or stops before the checkpoint is saved, instead of waiting for its ask to
 * time out; the actor works again afterwards.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckpointStopReplyTest {

  private static final String INJECTED = "journal down (injected by the test)";
  private static final String HELD = "held-snapshot-store";

  @JUnit5TestKit
  public ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(
      ConfigFactory.parseString(HELD + " { class = \"dev.cairn.persistence.HeldSnapshotStore\"\n"
          + "plugin-dispatcher = \"pekko.actor.default-dispatcher\" }\n").withFallback(testkitConfig())).build();

  private static TestProbe<PolicyEvent.CheckpointOutcome> askCheckpoint(ActorTestKit kit, ActorRef<Counter.Cmd> ref) {
    TestProbe<PolicyEvent.CheckpointOutcome> p = kit.createTestProbe();
    EventSourcedActor.control(ref).tell(PolicyCommand.TakeCheckpoint.replyTo(p.ref()));
    return p;
  }

  /** Takes events up to the next {@code CheckpointTaken} of {@code pid} and fails on a {@code CheckpointFailed} of it. */
  private static void expectNoCheckpointFailedPublishedBeforeTheNextTaken(TestProbe<PolicyEvent> events, String pid) {
    while (true) {
      PolicyEvent e = events.receiveMessage(TIMEOUT);
      if (!e.persistenceId().equals(pid)) continue;
      assertFalse(e instanceof PolicyEvent.CheckpointFailed, "published: " + e);
      if (e instanceof PolicyEvent.CheckpointTaken) return;
    }
  }

  @Test
  void aJournalWriteFailureOfTheCheckpointRecordRepliesCheckpointFailedAndRedoGoesOn() {
    String id = uniqueId("checkpoint-record-write-fails");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    ActorRef<Counter.Cmd> ref = kit.spawn(Counter.actor(id).withRedoPolicy(fastRedo()).behavior());
    add(kit, ref, 5);
    PersistenceTestKit.create(kit.system()).failNextPersisted(id, new IOException(INJECTED));

    TestProbe<PolicyEvent.CheckpointOutcome> first = askCheckpoint(kit, ref);

    // answered at once (an ask would wait for its timeout), naming the actor, the checkpoint and the cause
    PolicyEvent.CheckpointFailed failed = first.expectMessageClass(PolicyEvent.CheckpointFailed.class, TIMEOUT);
    assertEquals(id, failed.persistenceId());
    assertEquals(2, failed.sequenceNr());
    assertTrue(failed.cause().contains(INJECTED), failed.cause());
    assertTrue(failed.cause().contains("before the checkpoint at sequence number 2 was saved"), failed.cause());

    // redo: the record was not written, the actor goes on and the next checkpoint is taken
    assertEquals(6, add(kit, ref, 1));
    PolicyEvent.CheckpointTaken taken = checkpoint(kit, ref);
    assertEquals(3, taken.sequenceNr());
    // answered once: the first requester is not answered again by the later checkpoint
    first.expectNoMessage(Duration.ofMillis(50));
    // the reply is not published: no snapshot save failed
    expectNoCheckpointFailedPublishedBeforeTheNextTaken(events, id);
  }

  /**
   * Pekko stashes commands while a snapshot is being saved; with a one-command stash that fails
   * when it overflows, a second command fails the actor and its supervisor restarts it while the
   * save is not confirmed.
   */
  @Test
  void aSupervisorRestartBeforeTheSaveIsConfirmedRepliesCheckpointFailed() throws Exception {
    ActorTestKit small = ActorTestKit.create("CheckpointStopReplyTest-restart", ConfigFactory.parseString(
        "pekko.persistence.typed.stash-capacity = 1\n"
            + "pekko.persistence.typed.stash-overflow-strategy = fail\n").withFallback(kit.system().settings().config()));
    try {
      String id = uniqueId("checkpoint-pending-restart");
      var actor = Counter.actor(id).withSnapshotPluginId(HELD);
      ActorRef<Counter.Cmd> ref = small.spawn(Behaviors.supervise(actor.behavior()).onFailure(SupervisorStrategy.restart()));
      add(small, ref, 5);
      HeldSnapshotStore.holdNextSave(id);
      TestProbe<PolicyEvent.CheckpointOutcome> first = askCheckpoint(small, ref);
      assertEquals(2, HeldSnapshotStore.saveStarted(id).get(10, TimeUnit.SECONDS));

      TestProbe<Long> gets = small.createTestProbe();
      ref.tell(new Counter.Get(gets.ref())); // stashed until the save is confirmed
      ref.tell(new Counter.Get(gets.ref())); // the stash overflows: the actor fails and is restarted

      PolicyEvent.CheckpointFailed failed = first.expectMessageClass(PolicyEvent.CheckpointFailed.class, TIMEOUT);
      assertEquals(id, failed.persistenceId());
      assertEquals(2, failed.sequenceNr());
      assertTrue(failed.cause().contains("restarted before the checkpoint at sequence number 2 was confirmed saved"),
          failed.cause());

      // answered once. (That the actor works again after a restart is checked by the other tests
      // of this class: here the one-command stash that forced the restart would also overflow
      // during redo, with the two commands delivered again, and fail the actor again.)
      first.expectNoMessage(Duration.ofMillis(200));
    } finally {
      small.shutdownTestKit();
    }
  }

  @Test
  void stoppingTheActorBeforeTheSaveIsConfirmedRepliesCheckpointFailed() throws Exception {
    String id = uniqueId("checkpoint-pending-stop");
    var actor = Counter.actor(id).withSnapshotPluginId(HELD);
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    add(kit, ref, 5);
    HeldSnapshotStore.holdNextSave(id);
    TestProbe<PolicyEvent.CheckpointOutcome> first = askCheckpoint(kit, ref);
    assertEquals(2, HeldSnapshotStore.saveStarted(id).get(10, TimeUnit.SECONDS));

    kit.stop(ref, TIMEOUT);

    PolicyEvent.CheckpointFailed failed = first.expectMessageClass(PolicyEvent.CheckpointFailed.class, TIMEOUT);
    assertEquals(id, failed.persistenceId());
    assertEquals(2, failed.sequenceNr());
    assertTrue(failed.cause().contains("stopped before the checkpoint at sequence number 2 was confirmed saved"),
        failed.cause());
    // started again, it recovers everything and checkpoints
    ActorRef<Counter.Cmd> again = kit.spawn(actor.behavior());
    assertEquals(5, get(kit, again));
    assertEquals(3, checkpoint(kit, again).sequenceNr());
  }
}
