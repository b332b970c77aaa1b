package dev.cairn.persistence.backup;

import java.util.List;
import java.util.Objects;

/** Options of an export: which persistence ids (all by default) and a progress listener. */
public final class ExportOptions {
  private static final ExportOptions DEFAULTS = new ExportOptions(List.of(), ProgressListener.none());

  private final List<String> persistenceIds;
  private final ProgressListener progress;

  private ExportOptions(List<String> persistenceIds, ProgressListener progress) {
    this.persistenceIds = List.copyOf(persistenceIds);
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** All persistence ids, no progress reporting. */
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
    return new ExportOptions(persistenceIds, progress);
  }

  /** Progress in persistence ids: step "export", done ids, total ids. */
  public ExportOptions withProgress(ProgressListener progress) {
    return new ExportOptions(persistenceIds, progress);
  }

  public List<String> persistenceIds() {
    return persistenceIds;
  }

  public ProgressListener progress() {
    return progress;
  }
}
