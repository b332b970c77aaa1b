package dev.cairn.persistence;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * When an event-sourced actor takes a checkpoint (a snapshot), and how many it keeps.
 * Immutable; validated when built; reads as a sentence:
 *
 * <pre>{@code CheckpointPolicy.everyEvents(500).orEvery(Duration.ofSeconds(30)).keepLast(3)}</pre>
 *
 * <p>Conditions combine with "or": a checkpoint is taken when any of them holds. A checkpoint can
 * always be requested on demand with {@link PolicyCommand.TakeCheckpoint}, whatever the policy.
 */
public final class CheckpointPolicy {

  private static final CheckpointPolicy NONE =
      new CheckpointPolicy(0, null, null, 0, 2, false);

  private final int everyEvents;
  private final Duration every;
  private final BiPredicate<Object, Object> predicate;
  private final long afterRecoveryOver;
  private final int keepLast;
  private final boolean deleteEventsCovered;

  private CheckpointPolicy(
      int everyEvents,
      Duration every,
      BiPredicate<Object, Object> predicate,
      long afterRecoveryOver,
      int keepLast,
      boolean deleteEventsCovered) {
    this.everyEvents = everyEvents;
    this.every = every;
    this.predicate = predicate;
    this.afterRecoveryOver = afterRecoveryOver;
    this.keepLast = keepLast;
    this.deleteEventsCovered = deleteEventsCovered;
  }

  /** Checkpoints only on demand (a command or the supervisor). Keeps the last 2. */
  public static CheckpointPolicy onDemand() {
    return NONE;
  }

  /** A checkpoint after every {@code n} events. */
  public static CheckpointPolicy everyEvents(int n) {
    return NONE.orEveryEvents(n);
  }

  /** A checkpoint every {@code interval} of wall-clock time, fired by a timer, if events arrived since the last one. */
  public static CheckpointPolicy every(Duration interval) {
    return NONE.orEvery(interval);
  }

  /** A checkpoint after each event for which {@code predicate(stateAfter, event)} holds. */
  public static <S, E> CheckpointPolicy when(BiPredicate<? super S, ? super E> predicate) {
    return NONE.orWhen(predicate);
  }

  /** A checkpoint right after a recovery that replayed more than {@code n} events. */
  public static CheckpointPolicy afterRecoveryOver(long n) {
    return NONE.orAfterRecoveryOver(n);
  }

  public CheckpointPolicy orEveryEvents(int n) {
    if (n < 1) throw new IllegalArgumentException("'everyEvents' must be >= 1, was [" + n + "]");
    return new CheckpointPolicy(n, every, predicate, afterRecoveryOver, keepLast, deleteEventsCovered);
  }

  public CheckpointPolicy orEvery(Duration interval) {
    Objects.requireNonNull(interval, "'every' must not be null");
    if (interval.isNegative() || interval.isZero())
      throw new IllegalArgumentException("'every' must be > 0, was [" + interval + "]");
    return new CheckpointPolicy(everyEvents, interval, predicate, afterRecoveryOver, keepLast, deleteEventsCovered);
  }

  @SuppressWarnings("unchecked")
  public <S, E> CheckpointPolicy orWhen(BiPredicate<? super S, ? super E> when) {
    Objects.requireNonNull(when, "'when' must not be null");
    BiPredicate<Object, Object> p = (BiPredicate<Object, Object>) (BiPredicate<?, ?>) when;
    BiPredicate<Object, Object> combined = predicate == null ? p : predicate.or(p);
    return new CheckpointPolicy(everyEvents, every, combined, afterRecoveryOver, keepLast, deleteEventsCovered);
  }

  public CheckpointPolicy orAfterRecoveryOver(long n) {
    if (n < 1) throw new IllegalArgumentException("'afterRecoveryOver' must be >= 1, was [" + n + "]");
    return new CheckpointPolicy(everyEvents, every, predicate, n, keepLast, deleteEventsCovered);
  }

  /**
   * Combines two policies: a checkpoint when either would take one. Retention is the larger
   * {@code keepLast}; events are deleted only if both say so.
   */
  public CheckpointPolicy or(CheckpointPolicy other) {
    Objects.requireNonNull(other, "'other' must not be null");
    int ev = everyEvents == 0 ? other.everyEvents
        : other.everyEvents == 0 ? everyEvents : Math.min(everyEvents, other.everyEvents);
    Duration t = every == null ? other.every
        : other.every == null ? every : (every.compareTo(other.every) <= 0 ? every : other.every);
    BiPredicate<Object, Object> p = predicate == null ? other.predicate
        : other.predicate == null ? predicate : predicate.or(other.predicate);
    long rec = afterRecoveryOver == 0 ? other.afterRecoveryOver
        : other.afterRecoveryOver == 0 ? afterRecoveryOver : Math.min(afterRecoveryOver, other.afterRecoveryOver);
    return new CheckpointPolicy(ev, t, p, rec, Math.max(keepLast, other.keepLast),
        deleteEventsCovered && other.deleteEventsCovered);
  }

  /** Keep the newest {@code k} checkpoints; older ones are deleted from the snapshot store. */
  public CheckpointPolicy keepLast(int k) {
    if (k < 1) throw new IllegalArgumentException("'keepLast' must be >= 1, was [" + k + "]");
    return new CheckpointPolicy(everyEvents, every, predicate, afterRecoveryOver, k, deleteEventsCovered);
  }

  /**
   * Also delete journal events covered by the oldest retained checkpoint. Rollbacks to points
   * before it are then refused, since they can no longer be reconstructed.
   */
  public CheckpointPolicy withDeleteEventsCovered() {
    return new CheckpointPolicy(everyEvents, every, predicate, afterRecoveryOver, keepLast, true);
  }

  /** 0 when not set. */
  public int everyEvents() {
    return everyEvents;
  }

  /** Empty interval ({@link Duration#ZERO}) when not set. */
  public Duration every() {
    return every == null ? Duration.ZERO : every;
  }

  public boolean hasPredicate() {
    return predicate != null;
  }

  /** 0 when not set. */
  public long afterRecoveryOver() {
    return afterRecoveryOver;
  }

  public int keepLast() {
    return keepLast;
  }

  public boolean deleteEventsCovered() {
    return deleteEventsCovered;
  }

  /** INTERNAL API: evaluates the predicate (false when none). */
  public boolean testPredicate(Object state, Object event) {
    return predicate != null && predicate.test(state, event);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("CheckpointPolicy[");
    if (everyEvents > 0) b.append("every ").append(everyEvents).append(" events, ");
    if (every != null) b.append("every ").append(every).append(", ");
    if (predicate != null) b.append("on predicate, ");
    if (afterRecoveryOver > 0) b.append("after recovery over ").append(afterRecoveryOver).append(" events, ");
    b.append("on demand, keep last ").append(keepLast);
    if (deleteEventsCovered) b.append(", delete covered events");
    return b.append(']').toString();
  }
}
