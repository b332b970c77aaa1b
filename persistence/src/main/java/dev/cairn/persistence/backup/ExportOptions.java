package dev.cairn.persistence.backup;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of an export: which persistence ids (all by default), whether each id's newest
 * snapshot is exported (yes by default), the snapshot store plugin an export through a read
 * journal loads them from, and a progress listener.
 */
public final class ExportOptions {
  private static final ExportOptions DEFAULTS =
      new ExportOptions(List.of(), ProgressListener.none(), true, Optional.empty());

  private final List<String> persistenceIds;
  private final ProgressListener progress;
  private final boolean snapshots;
  private final Optional<String> snapshotPluginId;

  private ExportOptions(List<String> persistenceIds, ProgressListener progress,
      boolean snapshots, Optional<String> snapshotPluginId) {
    this.persistenceIds = List.copyOf(persistenceIds);
    this.progress = Objects.requireNonNull(progress, "progress");
    this.snapshots = snapshots;
    this.snapshotPluginId = snapshotPluginId;
  }

  /** All persistence ids, with their newest snapshots, no progress reporting. */
  public static ExportOptions defaults() {
    return DEFAULTS;
  }

  /** Export only these persistence ids, in this order (empty: all ids, sorted). */
  public ExportOptions withPersistenceIds(List<String> persistenceIds) {
    for (String id : persistenceIds) {
      if (id == null || id.isEmpty()) {
        throw new IllegalArgumentException("'persistenceIds' must not hold empty ids, was "
            + persistenceIds);
      }
    }
    return new ExportOptions(persistenceIds, progress, snapshots, snapshotPluginId);
  }

  /** Progress in persistence ids: step "export", done ids, total ids. */
  public ExportOptions withProgress(ProgressListener progress) {
    return new ExportOptions(persistenceIds, progress, snapshots, snapshotPluginId);
  }

  /**
   * Whether each id's newest snapshot is exported (a {@code "kind":"snapshot"} line before its
   * events; default true). Without it, an id whose older events were deleted cannot be imported
   * (its actors would recover a wrong state), so the import refuses it.
   */
  public ExportOptions withSnapshots(boolean snapshots) {
    return new ExportOptions(persistenceIds, progress, snapshots, snapshotPluginId);
  }

  /**
   * The snapshot store plugin an export through a read journal
   * ({@link JournalExport#export}) loads each id's newest snapshot from, e.g.
   * {@code cairn.persistence.snapshot-store.leveldb}; without it that export has no snapshots.
   * An export straight from Cairn's store reads its snapshot directory instead.
   */
  public ExportOptions withSnapshotPluginId(String snapshotPluginId) {
    if (snapshotPluginId == null || snapshotPluginId.isBlank()) {
      throw new IllegalArgumentException("'snapshotPluginId' must not be empty, was ["
          + snapshotPluginId + "]");
    }
    return new ExportOptions(persistenceIds, progress, snapshots, Optional.of(snapshotPluginId));
  }

  public List<String> persistenceIds() {
    return persistenceIds;
  }

  public ProgressListener progress() {
    return progress;
  }

  /** True when snapshots are exported. */
  public boolean snapshots() {
    return snapshots;
  }

  public Optional<String> snapshotPluginId() {
    return snapshotPluginId;
  }
}
