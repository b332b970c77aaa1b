package dev.cairn.persistence.backup;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The manifest of a backup archive ({@code manifest.json} inside it): format version, when and
 * how it was taken, a checksum for every data entry and a summary per persistence id.
 *
 * @param formatVersion archive format version ({@link CairnBackup#FORMAT_VERSION} when written)
 * @param createdAt when the backup was taken
 * @param mode online (read snapshots of a running journal) or offline
 * @param entries the data entries with their sizes, record counts and SHA-256 checksums
 * @param persistenceIds per persistence id: events, highest sequence number, snapshots
 */
public record BackupManifest(
    int formatVersion,
    Instant createdAt,
    BackupMode mode,
    List<ArchiveEntry> entries,
    List<PersistenceIdSummary> persistenceIds) {

  public BackupManifest {
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(mode, "mode");
    entries = List.copyOf(entries);
    persistenceIds = List.copyOf(persistenceIds);
  }

  /** Total number of events over all persistence ids. */
  public long totalEvents() {
    return persistenceIds.stream().mapToLong(PersistenceIdSummary::events).sum();
  }

  /** Total number of snapshots over all persistence ids. */
  public long totalSnapshots() {
    return persistenceIds.stream().mapToLong(PersistenceIdSummary::snapshots).sum();
  }

  /** The entry with this name, if the archive has one. */
  public Optional<ArchiveEntry> entry(String name) {
    return entries.stream().filter(e -> e.name().equals(name)).findFirst();
  }

  /** The summary of one persistence id, if the archive holds it. */
  public Optional<PersistenceIdSummary> persistenceId(String persistenceId) {
    return persistenceIds.stream().filter(p -> p.persistenceId().equals(persistenceId)).findFirst();
  }
}
