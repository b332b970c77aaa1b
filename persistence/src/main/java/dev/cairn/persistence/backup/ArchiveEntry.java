package dev.cairn.persistence.backup;

import java.util.Objects;

/**
 * One data entry of a backup archive, as its manifest declares it.
 *
 * @param name entry name inside the archive ({@code journal.kv} or {@code snapshots.kv})
 * @param bytes uncompressed size in bytes
 * @param records number of raw key/value records in the entry
 * @param sha256 lower-case hex SHA-256 of the uncompressed entry
 */
public record ArchiveEntry(String name, long bytes, long records, String sha256) {
  public ArchiveEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sha256, "sha256");
  }
}
