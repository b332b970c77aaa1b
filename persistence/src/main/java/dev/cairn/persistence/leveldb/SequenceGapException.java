package dev.cairn.persistence.leveldb;

/**
 * Replay found a hole in the sequence numbers of a persistence id (an event that was
 * acknowledged is missing), or a write would create one. Recovery fails instead of yielding a
 * shorter history. Restore the journal directory from a backup.
 */
public final class SequenceGapException extends JournalStorageException {
  private static final long serialVersionUID = 1L;
  private final String persistenceId;
  private final long expectedSequenceNr;
  private final long foundSequenceNr;

  public SequenceGapException(
      String persistenceId, long expectedSequenceNr, long foundSequenceNr, String location) {
    super("Sequence number gap for persistence id [" + persistenceId + "]: expected sequence number ["
        + expectedSequenceNr + "] but found " + (foundSequenceNr < 0 ? "no further event" : "[" + foundSequenceNr + "]")
        + " at " + location + ". Events that were acknowledged are missing; restore the"
        + " directory from a backup.");
    this.persistenceId = persistenceId;
    this.expectedSequenceNr = expectedSequenceNr;
    this.foundSequenceNr = foundSequenceNr;
  }

  public String persistenceId() {
    return persistenceId;
  }

  /** The sequence number that is missing. */
  public long sequenceNr() {
    return expectedSequenceNr;
  }

  /** The sequence number found instead, or -1 when the events ended early. */
  public long foundSequenceNr() {
    return foundSequenceNr;
  }
}
