package dev.cairn.persistence;

/** An invariant did not hold and no rollback policy handled it. */
public final class InvariantViolatedException extends CairnPersistenceException {
  public InvariantViolatedException(String persistenceId, long sequenceNr, String message, Throwable cause) {
    super(persistenceId, sequenceNr, message, cause);
  }
}
