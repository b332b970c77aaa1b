package dev.cairn.persistence.leveldb;

/**
 * A write was refused because its sequence numbers are at or below the highest sequence number
 * already stored for its persistence id: another writer (a second incarnation of the actor or a
 * second process) is writing the same persistence id. The event already stored is kept (the
 * journal never overwrites an acknowledged event). The journal reports this as a write failure
 * (persist failure): the writing actor stops (or restarts, when supervised so) and recovers
 * from the stored events; nothing acknowledged is lost.
 */
public final class SequenceNumberConflictException extends JournalStorageException {
  private static final long serialVersionUID = 1L;
  private final String persistenceId;
  private final long fromSequenceNr;
  private final long toSequenceNr;
  private final long storedHighestSequenceNr;

  public SequenceNumberConflictException(
      String persistenceId, long fromSequenceNr, long toSequenceNr, long storedHighestSequenceNr, String location) {
    super("Sequence number conflict for persistence id [" + persistenceId + "]: write of sequence number"
        + (fromSequenceNr == toSequenceNr ? " [" + fromSequenceNr + "]" : "s [" + fromSequenceNr + ".." + toSequenceNr + "]")
        + " refused because the stored highest sequence number is [" + storedHighestSequenceNr + "] (at " + location
        + "). Another writer (a second incarnation or a second process) is writing the same persistence id;"
        + " the event already stored was kept. The writing actor must recover from the stored events;"
        + " make sure only one instance of a persistence id runs at a time.");
    this.persistenceId = persistenceId;
    this.fromSequenceNr = fromSequenceNr;
    this.toSequenceNr = toSequenceNr;
    this.storedHighestSequenceNr = storedHighestSequenceNr;
  }

  public String persistenceId() {
    return persistenceId;
  }

  /** The lowest sequence number of the refused write. */
  public long fromSequenceNr() {
    return fromSequenceNr;
  }

  /** The highest sequence number of the refused write. */
  public long toSequenceNr() {
    return toSequenceNr;
  }

  /** The highest sequence number stored for the persistence id when the write was refused. */
  public long storedHighestSequenceNr() {
    return storedHighestSequenceNr;
  }
}
