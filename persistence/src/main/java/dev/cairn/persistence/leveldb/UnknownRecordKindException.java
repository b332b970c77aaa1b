package dev.cairn.persistence.leveldb;

/**
 * A stored record carries a record-kind id this version of Cairn does not know. The data was
 * written by a newer Cairn or is damaged; recovery fails rather than skipping it.
 */
public final class UnknownRecordKindException extends JournalStorageException {
  private static final long serialVersionUID = 1L;

  public UnknownRecordKindException(String persistenceId, long sequenceNr, int kindId, String location) {
    super("Unknown record kind id [" + kindId + "] in record of persistence id [" + persistenceId
        + "] sequence number [" + sequenceNr + "] at " + location + "; written by a newer Cairn or"
        + " damaged");
  }
}
