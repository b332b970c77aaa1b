package dev.cairn.persistence;

import static dev.cairn.persistence.PolicyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.cairn.supervision.Supervisor;
import dev.cairn.supervision.SupervisorSpec;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.SnapshotTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A checkpoint whose snapshot save fails is answered ({@code CheckpointFailed}), not left to time out. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CheckpointFailureReplyTest {

  private static final String INJECTED = "disk full (injected by the test)";

  @JUnit5TestKit
  public ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(testkitConfig()).build();

  /** The next snapshot save for {@code pid} fails; later saves work again. */
  private void failNextSave(String pid) {
    SnapshotTestKit.create(kit.system()).failNextPersisted(pid, new IOException(INJECTED));
  }

  private long askChild(ActorRef<Supervisor.Command> sup, String child, int amount) throws Exception {
    return Supervisor.<Long>askChild(sup, child, r -> new Counter.Add(amount, r), TIMEOUT, kit.system().scheduler())
        .toCompletableFuture().get(15, TimeUnit.SECONDS);
  }

  @Test
  void aFailedSaveRepliesCheckpointFailedNamingTheActorAndSequenceNumber() {
    String id = uniqueId("checkpoint-save-fails");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    ActorRef<Counter.Cmd> ref = kit.spawn(Counter.actor(id).behavior());
    add(kit, ref, 5);
    failNextSave(id);

    PolicyEvent.CheckpointOutcome outcome = checkpointOutcome(kit, ref);

    PolicyEvent.CheckpointFailed failed = assertInstanceOf(PolicyEvent.CheckpointFailed.class, outcome);
    assertEquals(id, failed.persistenceId());
    // one user event plus the CheckpointRequested record
    assertEquals(2, failed.sequenceNr());
    assertTrue(failed.cause().contains(INJECTED), failed.cause());
    // the reply is the event that was published
    assertEquals(failed, expectEvent(events, PolicyEvent.CheckpointFailed.class, id));
  }

  @Test
  void afterAFailedSaveTheActorGoesOnAndTheNextCheckpointIsTaken() {
    String id = uniqueId("checkpoint-after-failure");
    var actor = Counter.actor(id);
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    add(kit, ref, 5);
    failNextSave(id);
    assertInstanceOf(PolicyEvent.CheckpointFailed.class, checkpointOutcome(kit, ref));

    assertEquals(8, add(kit, ref, 3));
    PolicyEvent.CheckpointTaken taken = checkpoint(kit, ref);
    assertEquals(4, taken.sequenceNr());
    assertEquals(List.of(4L), SnapshotTestKit.create(kit.system()).persistedInStorage(id).stream()
        .map(p -> p.first().sequenceNr()).toList());
    // nothing acknowledged was lost: redo gives back every event
    kit.stop(ref, TIMEOUT);
    assertEquals(8, get(kit, kit.spawn(actor.behavior())));
  }

  @Test
  void checkpointAllAndWaitFailsWithCheckpointFailedExceptionNamingTheChild() throws Exception {
    String a = uniqueId("checkpoint-all-ok");
    String b = uniqueId("checkpoint-all-fails");
    SupervisorSpec spec = SupervisorSpec.oneForOne("cp-fail-" + a)
        .withChild(PersistentChildren.childSpec("a", Counter.actor(a)))
        .withChild(PersistentChildren.childSpec("b", Counter.actor(b)));
    ActorRef<Supervisor.Command> sup = kit.spawn(Supervisor.create(spec));
    askChild(sup, "a", 1);
    askChild(sup, "b", 2);
    failNextSave(b);

    ExecutionException thrown = assertThrows(ExecutionException.class, () -> PersistentChildren
        .checkpointAllAndWait(sup, TIMEOUT, kit.system().scheduler()).toCompletableFuture().get(15, TimeUnit.SECONDS));

    CheckpointFailedException e = assertInstanceOf(CheckpointFailedException.class, thrown.getCause());
    assertEquals(List.of("b"), List.copyOf(e.failures().keySet()));
    assertEquals(b, e.failures().get("b").persistenceId());
    assertEquals(2, e.failures().get("b").sequenceNr());
    assertEquals(b, e.persistenceId());
    assertEquals(2, e.sequenceNr());
    assertEquals(List.of("a"), List.copyOf(e.taken().keySet()));
    assertEquals(2, e.taken().get("a").sequenceNr());
    String msg = e.getMessage();
    for (String part : List.of("1 of 2", "child 'b'", "persistence id '" + b + "'", "sequence number 2", INJECTED,
        "snapshot store", "still in the journal")) {
      assertTrue(msg.contains(part), "'" + part + "' missing from: " + msg);
    }
    assertFalse(msg.contains("child 'a'"), msg);

    // the store works again: both children checkpoint
    Map<String, PolicyEvent.CheckpointTaken> taken = PersistentChildren
        .checkpointAllAndWait(sup, TIMEOUT, kit.system().scheduler()).toCompletableFuture().get(15, TimeUnit.SECONDS);
    assertEquals(3, taken.get("a").sequenceNr());
    assertEquals(3, taken.get("b").sequenceNr());
  }

  @Test
  void checkpointFailedExceptionRefusesAnEmptyFailureMap() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new CheckpointFailedException(Map.of(), Map.of()));
    assertTrue(e.getMessage().contains("'failures' must not be empty"), e.getMessage());
  }
}
