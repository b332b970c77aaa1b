package dev.cairn.persistence;

/** Base of every error the policy layer raises; names the actor and the sequence number. */
public class CairnPersistenceException extends RuntimeException {
  private final String persistenceId;
  private final long sequenceNr;

  public CairnPersistenceException(String persistenceId, long sequenceNr, String message, Throwable cause) {
    super(message, cause);
    this.persistenceId = persistenceId;
    this.sequenceNr = sequenceNr;
  }

  public String persistenceId() {
    return persistenceId;
  }

  public long sequenceNr() {
    return sequenceNr;
  }
}
