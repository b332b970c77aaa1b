package dev.cairn.persistence;

import java.time.Duration;
import java.util.Objects;

/**
 * How an event-sourced actor comes back (redo = newest readable checkpoint plus journal replay)
 * and what happens when recovery or a journal write fails.
 *
 * <ul>
 *   <li>An unreadable checkpoint falls back to the next older one, then to a full replay; each
 *       fallback is published as a {@link PolicyEvent.CheckpointFallback}.
 *   <li>A recovery failure or a journal write failure (which never resumes: whether the event was
 *       written is unknown) restarts the actor with exponential backoff, at most
 *       {@code maxRestarts} times within {@code within}; past that the actor fails with a
 *       {@link RecoveryGaveUpException} and its supervisor decides. No restart loop.
 * </ul>
 *
 * <pre>{@code RedoPolicy.defaults().withRestartBackoff(Duration.ofMillis(100), Duration.ofSeconds(5)).withRestartLimit(3, Duration.ofMinutes(1))}</pre>
 */
public final class RedoPolicy {

  private static final RedoPolicy DEFAULTS =
      new RedoPolicy(Duration.ofMillis(200), Duration.ofSeconds(10), 0.2, 5, Duration.ofMinutes(1));

  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final double randomFactor;
  private final int maxRestarts;
  private final Duration within;

  private RedoPolicy(Duration minBackoff, Duration maxBackoff, double randomFactor, int maxRestarts, Duration within) {
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
    this.randomFactor = randomFactor;
    this.maxRestarts = maxRestarts;
    this.within = within;
  }

  /** Backoff 200 ms to 10 s (random factor 0.2), at most 5 restarts within 1 minute. */
  public static RedoPolicy defaults() {
    return DEFAULTS;
  }

  public RedoPolicy withRestartBackoff(Duration min, Duration max) {
    Objects.requireNonNull(min, "'minBackoff' must not be null");
    Objects.requireNonNull(max, "'maxBackoff' must not be null");
    if (min.isNegative()) throw new IllegalArgumentException("'minBackoff' must be >= 0, was [" + min + "]");
    if (max.compareTo(min) < 0)
      throw new IllegalArgumentException("'maxBackoff' must be >= 'minBackoff' [" + min + "], was [" + max + "]");
    return new RedoPolicy(min, max, randomFactor, maxRestarts, within);
  }

  public RedoPolicy withRandomFactor(double factor) {
    if (factor < 0 || factor > 1 || Double.isNaN(factor))
      throw new IllegalArgumentException("'randomFactor' must be in [0, 1], was [" + factor + "]");
    return new RedoPolicy(minBackoff, maxBackoff, factor, maxRestarts, within);
  }

  /** At most {@code maxRestarts} restarts within {@code within}; then the actor fails. */
  public RedoPolicy withRestartLimit(int maxRestarts, Duration within) {
    if (maxRestarts < 0) throw new IllegalArgumentException("'maxRestarts' must be >= 0, was [" + maxRestarts + "]");
    Objects.requireNonNull(within, "'within' must not be null");
    if (within.isNegative() || within.isZero())
      throw new IllegalArgumentException("'within' must be > 0, was [" + within + "]");
    return new RedoPolicy(minBackoff, maxBackoff, randomFactor, maxRestarts, within);
  }

  public Duration minBackoff() {
    return minBackoff;
  }

  public Duration maxBackoff() {
    return maxBackoff;
  }

  public double randomFactor() {
    return randomFactor;
  }

  public int maxRestarts() {
    return maxRestarts;
  }

  public Duration within() {
    return within;
  }

  /** The backoff before restart number {@code restartCount} (0-based), without the random part. */
  public Duration backoff(int restartCount) {
    long min = minBackoff.toNanos();
    long max = maxBackoff.toNanos();
    double d = min * Math.pow(2, Math.min(restartCount, 30));
    return Duration.ofNanos((long) Math.min(max, d));
  }

  @Override
  public String toString() {
    return "RedoPolicy[backoff " + minBackoff + ".." + maxBackoff + ", at most " + maxRestarts
        + " restarts within " + within + "]";
  }
}
