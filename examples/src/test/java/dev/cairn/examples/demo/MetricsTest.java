package dev.cairn.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.persistence.PolicyEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The demo's counters count what Cairn published. */
class MetricsTest {

  @Test
  void failedCheckpointsAreCountedApartFromTakenOnes() {
    Metrics metrics = new Metrics();
    metrics.count(new PolicyEvent.CheckpointTaken("account-1", 4, Duration.ofMillis(3), 120, "every 100 events"));
    metrics.count(new PolicyEvent.CheckpointFailed("account-2", 7, "disk full"));
    metrics.count(new PolicyEvent.CheckpointFailed("account-3", 9, "disk full"));

    Metrics.Snapshot m = metrics.snapshot();
    assertEquals(1, m.checkpoints());
    assertEquals(2, m.checkpointsFailed());
  }
}
