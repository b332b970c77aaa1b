package dev.cairn.persistence;

/** An event could not be deserialized or applied during replay under PoisonEventPolicy.FAIL. */
public final class PoisonEventException extends CairnPersistenceException {
  public PoisonEventException(String persistenceId, long sequenceNr, String message, Throwable cause) {
    super(persistenceId, sequenceNr, message, cause);
  }
}
