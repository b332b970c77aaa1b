package dev.cairn.persistence;

/** Redo or a journal write failed more often than the RedoPolicy restart limit allows. */
public final class RecoveryGaveUpException extends CairnPersistenceException {
  public RecoveryGaveUpException(String persistenceId, long sequenceNr, String message, Throwable cause) {
    super(persistenceId, sequenceNr, message, cause);
  }
}
