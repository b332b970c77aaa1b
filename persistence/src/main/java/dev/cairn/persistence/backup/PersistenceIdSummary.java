package dev.cairn.persistence.backup;

import java.util.Objects;

/**
 * What a backup holds for one persistence id.
 *
 * @param persistenceId the persistence id
 * @param events number of events in the archive (deleted events are not counted)
 * @param highestSeqNr highest sequence number of the id at backup time (kept after deletions)
 * @param snapshots number of snapshots in the archive
 * @param highestSnapshotSeqNr sequence number of the newest snapshot, 0 when there is none
 */
public record PersistenceIdSummary(
    String persistenceId, long events, long highestSeqNr, long snapshots, long highestSnapshotSeqNr) {
  public PersistenceIdSummary {
    Objects.requireNonNull(persistenceId, "persistenceId");
  }
}
