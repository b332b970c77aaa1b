package dev.cairn.supervision;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.event.Level;

/**
 * What a {@link FailurePolicy} rule does with a failure: resume, restart, restart with backoff, stop or
 * escalate. Immutable: every {@code with*} method returns a validated copy.
 *
 * <pre>{@code
 * Directive.restart().withLimit(3, Duration.ofSeconds(10)).withLogLevel(Level.WARN)
 * Directive.restartWithBackoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.2)
 *     .withResetBackoffAfter(Duration.ofSeconds(30))
 * }</pre>
 */
public final class Directive {

  /** The kind of a directive. */
  public enum Kind {
    /** Keep the actor's current state and continue with the next message. */
    RESUME,
    /** Start the behavior afresh (at once). */
    RESTART,
    /** Start the behavior afresh after an exponentially growing delay, stashing messages meanwhile. */
    BACKOFF,
    /** Stop the actor as a normal exit (its supervisor sees no failure). */
    STOP,
    /** Let the failure pass to the enclosing supervisor (the actor fails). */
    ESCALATE
  }

  private final Kind kind;
  private final int maxRestarts; // -1 = unlimited
  private final Duration within; // null = no window
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final double randomFactor;
  private final Duration resetBackoffAfter; // null = Pekko's default
  private final int stashCapacity; // -1 = Pekko's default
  private final Level logLevel;
  private final boolean stopChildren;

  private Directive(Kind kind, int maxRestarts, Duration within, Duration minBackoff, Duration maxBackoff,
      double randomFactor, Duration resetBackoffAfter, int stashCapacity, Level logLevel, boolean stopChildren) {
    this.kind = kind;
    this.maxRestarts = maxRestarts;
    this.within = within;
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
    this.randomFactor = randomFactor;
    this.resetBackoffAfter = resetBackoffAfter;
    this.stashCapacity = stashCapacity;
    this.logLevel = logLevel;
    this.stopChildren = stopChildren;
  }

  private static Directive of(Kind kind) {
    return new Directive(kind, -1, null, null, null, 0.0, null, -1, Level.ERROR, true);
  }

  /** Keep the current state and continue with the next message. */
  public static Directive resume() {
    return of(Kind.RESUME);
  }

  /** Restart at once, without limit unless {@link #withLimit} is used. */
  public static Directive restart() {
    return of(Kind.RESTART);
  }

  /**
   * Restart after a delay that doubles from {@code minBackoff} up to {@code maxBackoff}, each delay varied by up to
   * {@code randomFactor} (jitter, 0.0 to 1.0).
   */
  public static Directive restartWithBackoff(Duration minBackoff, Duration maxBackoff, double randomFactor) {
    requirePositive("minBackoff", minBackoff);
    requirePositive("maxBackoff", maxBackoff);
    if (maxBackoff.compareTo(minBackoff) < 0) {
      throw new InvalidSpecException("invalid_backoff",
          "'maxBackoff' must be >= 'minBackoff' [" + minBackoff + "], was [" + maxBackoff + "]");
    }
    if (!(randomFactor >= 0.0 && randomFactor <= 1.0)) {
      throw new InvalidSpecException("invalid_backoff", "'randomFactor' must be between 0.0 and 1.0, was [" + randomFactor + "]");
    }
    return new Directive(Kind.BACKOFF, -1, null, minBackoff, maxBackoff, randomFactor, null, -1, Level.ERROR, true);
  }

  /** Stop the actor as a normal exit. */
  public static Directive stop() {
    return of(Kind.STOP);
  }

  /** Pass the failure on: the actor fails and its supervisor decides. */
  public static Directive escalate() {
    return of(Kind.ESCALATE);
  }

  /**
   * Limit restarts: at most {@code maxRestarts} within {@code within}; past it the failure escalates. For a
   * backoff directive the count starts again once the actor ran {@code within} without failure (the backoff reset).
   */
  public Directive withLimit(int maxRestarts, Duration within) {
    requireRestarting("withLimit");
    if (maxRestarts < 0) {
      throw new InvalidSpecException("invalid_limit", "'maxRestarts' must be >= 0, was [" + maxRestarts + "]");
    }
    requirePositive("within", within);
    Duration reset = kind == Kind.BACKOFF ? within : resetBackoffAfter;
    return new Directive(kind, maxRestarts, within, minBackoff, maxBackoff, randomFactor, reset, stashCapacity, logLevel,
        stopChildren);
  }

  /** For backoff: the failure-free time after which the backoff delay (and restart count) starts again. */
  public Directive withResetBackoffAfter(Duration resetAfter) {
    if (kind != Kind.BACKOFF) {
      throw new InvalidSpecException("bad_combination", "'withResetBackoffAfter' applies only to restartWithBackoff, was [" + kind + "]");
    }
    requirePositive("resetAfter", resetAfter);
    return new Directive(kind, maxRestarts, within, minBackoff, maxBackoff, randomFactor, resetAfter, stashCapacity, logLevel,
        stopChildren);
  }

  /** How many messages are stashed while restarting (waiting for the actor's children to stop, or backing off). */
  public Directive withStashCapacity(int capacity) {
    requireRestarting("withStashCapacity");
    if (capacity < 0) {
      throw new InvalidSpecException("invalid_stash_capacity", "'stashCapacity' must be >= 0, was [" + capacity + "]");
    }
    return new Directive(kind, maxRestarts, within, minBackoff, maxBackoff, randomFactor, resetBackoffAfter, capacity, logLevel,
        stopChildren);
  }

  /** Whether the actor's own children are stopped on restart (default true). */
  public Directive withStopChildren(boolean stop) {
    requireRestarting("withStopChildren");
    return new Directive(kind, maxRestarts, within, minBackoff, maxBackoff, randomFactor, resetBackoffAfter, stashCapacity,
        logLevel, stop);
  }

  /** The level the failure is logged at when this rule handles it (default ERROR). */
  public Directive withLogLevel(Level level) {
    Objects.requireNonNull(level, "'logLevel' must not be null");
    return new Directive(kind, maxRestarts, within, minBackoff, maxBackoff, randomFactor, resetBackoffAfter, stashCapacity,
        level, stopChildren);
  }

  private void requireRestarting(String method) {
    if (kind != Kind.RESTART && kind != Kind.BACKOFF) {
      throw new InvalidSpecException("bad_combination", "'" + method + "' applies only to restart directives, was [" + kind + "]");
    }
  }

  private static void requirePositive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new InvalidSpecException("invalid_duration", "'" + name + "' must be > 0, was [" + d + "]");
    }
  }

  public Kind kind() {
    return kind;
  }

  /** Maximum restarts, or -1 for unlimited. */
  public int maxRestarts() {
    return maxRestarts;
  }

  public Optional<Duration> within() {
    return Optional.ofNullable(within);
  }

  public Optional<Duration> minBackoff() {
    return Optional.ofNullable(minBackoff);
  }

  public Optional<Duration> maxBackoff() {
    return Optional.ofNullable(maxBackoff);
  }

  public double randomFactor() {
    return randomFactor;
  }

  public Optional<Duration> resetBackoffAfter() {
    return Optional.ofNullable(resetBackoffAfter);
  }

  /** Stash capacity, or -1 for Pekko's configured default. */
  public int stashCapacity() {
    return stashCapacity;
  }

  public Level logLevel() {
    return logLevel;
  }

  public boolean stopChildren() {
    return stopChildren;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(kind.name().toLowerCase(java.util.Locale.ROOT));
    if (kind == Kind.BACKOFF) {
      sb.append(" from ").append(minBackoff).append(" to ").append(maxBackoff).append(" (jitter ").append(randomFactor).append(')');
    }
    if (maxRestarts >= 0) {
      sb.append(", at most ").append(maxRestarts).append(" within ").append(within);
    }
    return sb.toString();
  }
}
