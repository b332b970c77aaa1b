package dev.cairn.persistence.leveldb;

/**
 * A stored event, snapshot or index record does not match its CRC32C checksum: the bytes on
 * disk are not the bytes that were written. Recovery fails instead of yielding a shorter or
 * altered history. Restore the journal directory from a backup, or inspect it with the
 * {@code verify} tool to see every damaged record.
 */
public final class ChecksumMismatchException extends JournalStorageException {
  private static final long serialVersionUID = 1L;
  private final String persistenceId;
  private final long sequenceNr;
  private final String location;

  public ChecksumMismatchException(String persistenceId, long sequenceNr, String location) {
    super("Checksum mismatch in record of persistence id [" + persistenceId + "] sequence number ["
        + sequenceNr + "] at " + location + ": the stored bytes are damaged. Restore the directory"
        + " from a backup; run verify to list every damaged record.");
    this.persistenceId = persistenceId;
    this.sequenceNr = sequenceNr;
    this.location = location;
  }

  public String persistenceId() {
    return persistenceId;
  }

  public long sequenceNr() {
    return sequenceNr;
  }

  /** Directory and key (hex) of the damaged record. */
  public String location() {
    return location;
  }
}
