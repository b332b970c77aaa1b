package dev.cairn.persistence.backup;

import java.util.Objects;

/** Options of backup, verify and restore: a progress listener and the archive limits. */
public final class BackupOptions {
  private static final BackupOptions DEFAULTS =
      new BackupOptions(ProgressListener.none(), ArchiveLimits.defaults());

  private final ProgressListener progress;
  private final ArchiveLimits limits;

  private BackupOptions(ProgressListener progress, ArchiveLimits limits) {
    this.progress = Objects.requireNonNull(progress, "progress");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /** No progress reporting, {@link ArchiveLimits#defaults()}. */
  public static BackupOptions defaults() {
    return DEFAULTS;
  }

  public BackupOptions withProgress(ProgressListener progress) {
    return new BackupOptions(progress, limits);
  }

  public BackupOptions withLimits(ArchiveLimits limits) {
    return new BackupOptions(progress, limits);
  }

  public ProgressListener progress() {
    return progress;
  }

  public ArchiveLimits limits() {
    return limits;
  }
}
