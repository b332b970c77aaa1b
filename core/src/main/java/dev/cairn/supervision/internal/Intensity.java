package dev.cairn.supervision.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The restart intensity window of one supervisor. Shared with its one-for-one children, which restart in place
 * and record their restart here themselves, hence synchronized.
 */
final class Intensity {
  private final int maxRestarts;
  private final Duration period;
  private final Clock clock;
  private final ArrayDeque<Instant> restarts = new ArrayDeque<>();

  Intensity(int maxRestarts, Duration period, Clock clock) {
    this.maxRestarts = maxRestarts;
    this.period = period;
    this.clock = clock;
  }

  /** Records one restart now; false if that is more than the intensity allows within the period. */
  synchronized boolean tryRestart() {
    Instant now = clock.instant();
    Instant oldestKept = now.minus(period);
    while (!restarts.isEmpty() && !restarts.peekFirst().isAfter(oldestKept)) {
      restarts.pollFirst();
    }
    restarts.addLast(now);
    return restarts.size() <= maxRestarts;
  }
}
