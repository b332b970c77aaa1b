package dev.cairn.persistence;

/**
 * What recovery does with a poison event: one that cannot be deserialized or whose event handler
 * throws during replay.
 */
public enum PoisonEventPolicy {
  /** Recovery fails with a {@link PoisonEventException}; the supervision limits decide next (default). */
  FAIL,
  /**
   * The event is skipped, a durable {@link QuarantineRecord} is written right after recovery, and
   * recovery continues.
   */
  SKIP_AND_QUARANTINE,
  /** The state returns to the one just before the poison event, by appending a {@link RollbackMarker}. */
  ROLLBACK_TO_BEFORE
}
