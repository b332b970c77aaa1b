package dev.cairn.persistence.backup.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The check that makes an online backup retry when a snapshot and event deletion raced it. */
class StoreStatsTest {

  @Test
  void idWhoseEventsAreDeletedBeyondItsNewestSnapshotIsUnrecoverable() {
    StoreStats stats = new StoreStats();
    stats.deletedTo("raced", 50);
    stats.snapshot("raced", 25); // the snapshot at 50 was taken after the snapshot store's read
    stats.deletedTo("fine", 50);
    stats.snapshot("fine", 50);
    stats.snapshot("fine", 75);
    stats.event("never-deleted", 1);

    assertEquals(List.of("raced (events deleted up to 50, newest snapshot 25)"),
        stats.unrecoverable());
  }
}
