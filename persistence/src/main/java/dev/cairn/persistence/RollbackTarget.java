package dev.cairn.persistence;

import java.time.Instant;
import java.util.Objects;

/**
 * Where a rollback returns to. Immutable; create with the static factories.
 *
 * <pre>{@code RollbackTarget.checkpointsBack(2)}</pre>
 */
public final class RollbackTarget {

  /** The kinds of target. */
  public enum Kind {
    LAST_CHECKPOINT,
    CHECKPOINTS_BACK,
    SEQUENCE_NR,
    TIMESTAMP,
    NEWEST_VALID_STATE
  }

  private final Kind kind;
  private final long value;

  private RollbackTarget(Kind kind, long value) {
    this.kind = kind;
    this.value = value;
  }

  /** The newest retained checkpoint (the initial state when there is none). */
  public static RollbackTarget lastCheckpoint() {
    return new RollbackTarget(Kind.LAST_CHECKPOINT, 1);
  }

  /** The n-th newest checkpoint: 1 is the last one. */
  public static RollbackTarget checkpointsBack(int n) {
    if (n < 1) throw new IllegalArgumentException("'checkpointsBack' must be >= 1, was [" + n + "]");
    return new RollbackTarget(Kind.CHECKPOINTS_BACK, n);
  }

  /** The state right after the event with this sequence number (0 = the initial state). */
  public static RollbackTarget sequenceNr(long sequenceNr) {
    if (sequenceNr < 0)
      throw new IllegalArgumentException("'sequenceNr' must be >= 0, was [" + sequenceNr + "]");
    return new RollbackTarget(Kind.SEQUENCE_NR, sequenceNr);
  }

  /** The state after the last event written at or before this instant (journal write time). */
  public static RollbackTarget timestamp(Instant instant) {
    Objects.requireNonNull(instant, "'instant' must not be null");
    return new RollbackTarget(Kind.TIMESTAMP, instant.toEpochMilli());
  }

  /** The newest state, before the current one, for which every {@link Invariant} holds. */
  public static RollbackTarget newestValidState() {
    return new RollbackTarget(Kind.NEWEST_VALID_STATE, 0);
  }

  public Kind kind() {
    return kind;
  }

  /** The checkpoint count, sequence number or epoch millis, depending on {@link #kind()}. */
  public long value() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RollbackTarget t && t.kind == kind && t.value == value;
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + Long.hashCode(value);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case LAST_CHECKPOINT -> "the last checkpoint";
      case CHECKPOINTS_BACK -> value + " checkpoint(s) back";
      case SEQUENCE_NR -> "sequence number " + value;
      case TIMESTAMP -> "timestamp " + Instant.ofEpochMilli(value);
      case NEWEST_VALID_STATE -> "the newest valid state";
    };
  }
}
