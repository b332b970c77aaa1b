package dev.cairn.persistence;

/** A command handler threw; nothing was persisted. The message names the command type. */
public final class CommandFailedException extends CairnPersistenceException {
  public CommandFailedException(String persistenceId, long sequenceNr, String message, Throwable cause) {
    super(persistenceId, sequenceNr, message, cause);
  }
}
