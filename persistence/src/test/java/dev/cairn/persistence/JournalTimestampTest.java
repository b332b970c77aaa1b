package dev.cairn.persistence;

import static dev.cairn.persistence.PolicyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Timestamp targets use the write time the journal stores with each event; this runs on Pekko's
 * in-memory journal ({@code pekko.persistence.journal.inmem}), which records it.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JournalTimestampTest {

  @JUnit5TestKit
  public ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(inmemConfig()).build();

  /** Returns a millisecond after which every later write is stamped later. */
  private static Instant cut() {
    long now = System.currentTimeMillis();
    while (System.currentTimeMillis() <= now) Thread.onSpinWait();
    Instant cut = Instant.ofEpochMilli(now);
    while (System.currentTimeMillis() <= now + 1) Thread.onSpinWait();
    return cut;
  }

  @Test
  void recoverAsOfATimestampShowsTheStateThenWithoutChangingAnything() throws Exception {
    String id = uniqueId("as-of-time");
    var actor = Counter.actor(id).withCheckpointPolicy(CheckpointPolicy.everyEvents(2));
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    add(kit, ref, 1);
    add(kit, ref, 2);
    add(kit, ref, 3);
    Instant t = cut();
    add(kit, ref, 10);
    add(kit, ref, 20);
    RecoveredState<Counter.Total> then = actor.recoverAsOf(kit.system(), AsOf.timestamp(t)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(6, then.state().value());
    assertEquals(3, then.sequenceNr());
    assertEquals(36, get(kit, ref));
  }

  @Test
  void aRollbackCommandReturnsToATimestamp() {
    String id = uniqueId("to-time");
    ActorRef<Counter.Cmd> ref = kit.spawn(Counter.actor(id).behavior());
    add(kit, ref, 1);
    add(kit, ref, 2);
    Instant t = cut();
    add(kit, ref, 100);
    var result = rollback(kit, ref, RollbackTarget.timestamp(t));
    PolicyEvent.RolledBack rb = assertInstanceOf(PolicyCommand.RollbackDone.class, result).event();
    assertEquals(2, rb.toSequenceNr());
    assertEquals(3, get(kit, ref));
    kit.stop(ref);
    assertEquals(3, get(kit, kit.spawn(Counter.actor(id).behavior())));
  }
}
