package dev.cairn.persistence;

import static dev.cairn.persistence.PolicyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A checkpoint found unreadable while its events replay restarts redo below it; the failed
 * incarnation's replay is still arriving then. Replies carry no request id, so the restarted
 * incarnation must not take the end of that replay for the end of its own.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
class FallbackDuringSlowReplayTest {

  @JUnit5TestKit
  public ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(ConfigFactory.parseString(""
          + "pekko.persistence.journal.plugin = slow-replay-journal\n"
          + "slow-replay-journal { class = \"dev.cairn.persistence.SlowReplayJournal\"\n"
          + "  event-delay = 150ms\n  end-delay = 300ms\n"
          + "  plugin-dispatcher = \"pekko.actor.default-blocking-io-dispatcher\"\n"
          + "  replay-filter.mode = off }\n" // as Cairn's journal: replayed events reach the actor one by one
          + "pekko.persistence.testkit.snapshots.serialize = on\n")
      .withFallback(slowMachine())
      .withFallback(PersistenceTestKitSnapshotPlugin.getInstance().config())
      .withFallback(ConfigFactory.load())).build();

  @AfterEach
  void readable() {
    Counter.UNREADABLE_TOTALS.clear();
  }

  @Test
  void theRestartedRedoWaitsForTheEndOfTheFailedRedosReplay() {
    String id = uniqueId("slow-replay-fallback");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    var actor = Counter.actor(id).withCheckpointPolicy(CheckpointPolicy.everyEvents(2).keepLast(3));
    ActorRef<Counter.Cmd> ref = kit.spawn(actor.behavior());
    // totals 1, 3, 33, 73, 573: checkpoints at seqNr 2 (3) and 4 (73)
    for (int amount : new int[] {1, 2, 30, 40, 500}) add(kit, ref, amount);
    expectEvent(events, PolicyEvent.CheckpointTaken.class, id);
    expectEvent(events, PolicyEvent.CheckpointTaken.class, id);
    kit.stop(ref);
    Counter.UNREADABLE_TOTALS.add(73L);
    // redo 1: checkpoint 4 is unreadable, found at replayed event 5 while the replay still runs
    // (its end comes 300 ms later); redo 2 from checkpoint 2 replays events 3, 4, 5 at 150 ms
    // each: without the wait, redo 1's end arrives after event 3 and recovery stops at 33
    ActorRef<Counter.Cmd> again = kit.spawn(actor.behavior());
    assertEquals(573, get(kit, again));
    PolicyEvent.Recovered rec = expectFallbackRecovery(events, id, 4, 2);
    assertEquals(3, rec.eventsReplayed());
    assertEquals(5, rec.sequenceNr());
  }
}
