package dev.cairn.persistence;

/** A rollback target that cannot be reconstructed (events or checkpoints deleted, in the future, unreadable); nothing was changed. */
public final class RollbackRefusedException extends CairnPersistenceException {
  public RollbackRefusedException(String persistenceId, long sequenceNr, String message, Throwable cause) {
    super(persistenceId, sequenceNr, message, cause);
  }
}
