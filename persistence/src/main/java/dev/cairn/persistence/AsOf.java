package dev.cairn.persistence;

import java.time.Instant;
import java.util.Objects;

/**
 * A point in an actor's history for a read-only "recover as of":
 * {@link EventSourcedActor#recoverAsOf}.
 *
 * @param sequenceNr recover up to and including this sequence number ({@code Long.MAX_VALUE}: all)
 * @param timestampMillis recover events written at or before this time ({@code Long.MAX_VALUE}: all)
 */
public record AsOf(long sequenceNr, long timestampMillis) {
  public AsOf {
    if (sequenceNr < 0) throw new IllegalArgumentException("'sequenceNr' must be >= 0, was [" + sequenceNr + "]");
  }

  public static AsOf sequenceNr(long sequenceNr) {
    return new AsOf(sequenceNr, Long.MAX_VALUE);
  }

  public static AsOf timestamp(Instant instant) {
    Objects.requireNonNull(instant, "'instant' must not be null");
    return new AsOf(Long.MAX_VALUE, instant.toEpochMilli());
  }

  public static AsOf latest() {
    return new AsOf(Long.MAX_VALUE, Long.MAX_VALUE);
  }
}
