package dev.cairn.persistence;

/** The event handler threw while applying a persisted event and no rollback policy handled it. */
public final class EventHandlerFailedException extends CairnPersistenceException {
  public EventHandlerFailedException(String persistenceId, long sequenceNr, String message, Throwable cause) {
    super(persistenceId, sequenceNr, message, cause);
  }
}
