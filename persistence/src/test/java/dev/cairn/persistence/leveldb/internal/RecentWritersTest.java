package dev.cairn.persistence.leveldb.internal;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** When unsynced writes switch from inline writes to the group commit (measured crossover: 8 to 16 writers). */
class RecentWritersTest {

  private static boolean afterRounds(int writers, int rounds) {
    LevelDbJournal.RecentWriters w = new LevelDbJournal.RecentWriters();
    boolean many = false;
    for (int r = 0; r < rounds; r++) for (int i = 0; i < writers; i++) many = w.seen("p-" + i);
    return many;
  }

  @Test
  void upToEightConcurrentWritersStayInline() {
    assertFalse(afterRounds(1, 100));
    assertFalse(afterRounds(4, 100));
    assertFalse(afterRounds(8, 100));
  }

  @Test
  void sixteenOrMoreConcurrentWritersUseTheGroupCommit() {
    assertTrue(afterRounds(16, 10));
    assertTrue(afterRounds(64, 3));
  }

  @Test
  void theSwitchFollowsTheWindowBack() {
    LevelDbJournal.RecentWriters w = new LevelDbJournal.RecentWriters();
    for (int i = 0; i < 64; i++) w.seen("p-" + i);
    assertTrue(w.seen("p-0"));
    boolean many = true;
    for (int i = 0; i < 32; i++) many = w.seen("only");
    assertFalse(many, "a single writer for a whole window writes inline again");
  }
}
