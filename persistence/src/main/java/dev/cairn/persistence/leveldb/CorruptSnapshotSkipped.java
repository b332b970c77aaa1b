package dev.cairn.persistence.leveldb;

/**
 * Published on the actor system's event stream when the snapshot store skipped a damaged or
 * unreadable snapshot and fell back to the next older one (or to full replay).
 *
 * @param persistenceId the actor whose snapshot was skipped
 * @param sequenceNr sequence number of the skipped snapshot
 * @param reason what was wrong (checksum mismatch, deserialization failure)
 */
public record CorruptSnapshotSkipped(String persistenceId, long sequenceNr, String reason) {
  @Override
  public String toString() {
    return "Snapshot of persistence id [" + persistenceId + "] at sequence number [" + sequenceNr
        + "] was skipped: " + reason;
  }
}
