package dev.cairn.persistence;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Policies are immutable values, validated when built, with the offending value in the message. */
class PolicyValuesTest {

  private static void rejects(String expectedMessage, Runnable build) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
    assertEquals(expectedMessage, e.getMessage());
  }

  @Test
  void checkpointPolicyRejectsBadValues() {
    rejects("'everyEvents' must be >= 1, was [0]", () -> CheckpointPolicy.everyEvents(0));
    rejects("'every' must be > 0, was [PT-1S]", () -> CheckpointPolicy.every(Duration.ofSeconds(-1)));
    rejects("'keepLast' must be >= 1, was [0]", () -> CheckpointPolicy.everyEvents(5).keepLast(0));
    rejects("'afterRecoveryOver' must be >= 1, was [0]", () -> CheckpointPolicy.afterRecoveryOver(0));
  }

  @Test
  void checkpointPolicyReadsAsASentenceAndCopiesOnChange() {
    CheckpointPolicy base = CheckpointPolicy.everyEvents(500);
    CheckpointPolicy p = base.orEvery(Duration.ofSeconds(30)).keepLast(3);
    assertEquals(0, base.every().getSeconds());
    assertEquals(2, base.keepLast());
    assertEquals(500, p.everyEvents());
    assertEquals(Duration.ofSeconds(30), p.every());
    assertEquals(3, p.keepLast());
    assertFalse(p.deleteEventsCovered());
    assertTrue(p.withDeleteEventsCovered().deleteEventsCovered());
  }

  @Test
  void orCombinesTheTighterConditions() {
    CheckpointPolicy a = CheckpointPolicy.everyEvents(100).keepLast(2);
    CheckpointPolicy b = CheckpointPolicy.everyEvents(50).orEvery(Duration.ofMinutes(1)).keepLast(4);
    CheckpointPolicy c = a.or(b).or(CheckpointPolicy.<Object, Object>when((s, e) -> e.equals("x")));
    assertEquals(50, c.everyEvents());
    assertEquals(Duration.ofMinutes(1), c.every());
    assertEquals(4, c.keepLast());
    assertTrue(c.testPredicate(null, "x"));
    assertFalse(c.testPredicate(null, "y"));
  }

  @Test
  void redoPolicyRejectsBadValuesAndComputesBackoff() {
    rejects("'maxRestarts' must be >= 0, was [-1]", () -> RedoPolicy.defaults().withRestartLimit(-1, Duration.ofSeconds(1)));
    rejects("'maxBackoff' must be >= 'minBackoff' [PT1S], was [PT0.5S]",
        () -> RedoPolicy.defaults().withRestartBackoff(Duration.ofSeconds(1), Duration.ofMillis(500)));
    rejects("'randomFactor' must be in [0, 1], was [2.0]", () -> RedoPolicy.defaults().withRandomFactor(2));
    RedoPolicy p = RedoPolicy.defaults().withRestartBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    assertEquals(Duration.ofMillis(100), p.backoff(0));
    assertEquals(Duration.ofMillis(400), p.backoff(2));
    assertEquals(Duration.ofSeconds(1), p.backoff(10));
  }

  @Test
  void rollbackPolicyAndTargetsRejectBadValues() {
    rejects("'checkpointsBack' must be >= 1, was [0]", () -> RollbackTarget.checkpointsBack(0));
    rejects("'sequenceNr' must be >= 0, was [-3]", () -> RollbackTarget.sequenceNr(-3));
    rejects("'onException' needs at least one type, was []", () -> RollbackPolicy.toLastCheckpoint().onException());
    RollbackPolicy p = RollbackPolicy.toCheckpointsBack(2).onException(IllegalStateException.class).onInvariantViolation();
    assertTrue(p.rollsBackOn(new IllegalStateException()));
    assertFalse(p.rollsBackOn(new IllegalArgumentException()));
    assertTrue(p.rollsBackOnInvariantViolation());
    assertEquals(RollbackTarget.checkpointsBack(2), p.target());
    assertEquals("timestamp 1970-01-01T00:00:01Z", RollbackTarget.timestamp(Instant.ofEpochSecond(1)).toString());
    assertFalse(RollbackPolicy.disabled().rollsBackOn(new RuntimeException()));
  }

  @Test
  void invariantsNeedANameAndEventSourcedActorValidatesArguments() {
    rejects("'name' must not be blank, was [ ]", () -> Invariant.of(" ", s -> true));
    assertThrows(NullPointerException.class, () -> Counter.actor("x").withJournalPluginId(null));
    assertThrows(NullPointerException.class, () -> Counter.actor("x").withCheckpointPolicy(null));
  }
}
