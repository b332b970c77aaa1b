package dev.cairn.persistence.leveldb;

/**
 * A serialized event or snapshot is larger than the configured maximum ({@code max-event-size}
 * or {@code max-snapshot-size}). The write is rejected; the events around it are unaffected.
 */
public final class EventTooLargeException extends JournalStorageException {
  private static final long serialVersionUID = 1L;
  private final String persistenceId;
  private final long sequenceNr;
  private final long size;
  private final long maxSize;

  public EventTooLargeException(String persistenceId, long sequenceNr, long size, long maxSize, String setting) {
    super("Serialized record of persistence id [" + persistenceId + "] sequence number [" + sequenceNr
        + "] is " + size + " bytes, larger than '" + setting + "' [" + maxSize + "]; store large data"
        + " elsewhere and persist a reference, or raise '" + setting + "'");
    this.persistenceId = persistenceId;
    this.sequenceNr = sequenceNr;
    this.size = size;
    this.maxSize = maxSize;
  }

  public String persistenceId() {
    return persistenceId;
  }

  public long sequenceNr() {
    return sequenceNr;
  }

  public long size() {
    return size;
  }

  public long maxSize() {
    return maxSize;
  }
}
