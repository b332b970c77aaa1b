package dev.cairn.persistence.backup;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Options of an import: write batch size, how long to wait for the journal, the snapshot store
 * plugin that takes the file's snapshots, progress.
 */
public final class ImportOptions {
  private static final ImportOptions DEFAULTS =
      new ImportOptions(500, Duration.ofSeconds(60), ProgressListener.none(), Optional.empty());

  private final int batchSize;
  private final Duration writeTimeout;
  private final ProgressListener progress;
  private final Optional<String> snapshotPluginId;

  private ImportOptions(int batchSize, Duration writeTimeout, ProgressListener progress,
      Optional<String> snapshotPluginId) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("'batchSize' must be >= 1, was [" + batchSize + "]");
    }
    if (writeTimeout.isNegative() || writeTimeout.isZero()) {
      throw new IllegalArgumentException("'writeTimeout' must be > 0, was [" + writeTimeout + "]");
    }
    this.batchSize = batchSize;
    this.writeTimeout = writeTimeout;
    this.progress = Objects.requireNonNull(progress, "progress");
    this.snapshotPluginId = snapshotPluginId;
  }

  /** Batches of 500 events, 60 s per batch, no progress reporting. */
  public static ImportOptions defaults() {
    return DEFAULTS;
  }

  /** Events sent to the journal in one write request (each event is its own atomic write). */
  public ImportOptions withBatchSize(int batchSize) {
    return new ImportOptions(batchSize, writeTimeout, progress, snapshotPluginId);
  }

  /** How long one batch may take before the import fails. */
  public ImportOptions withWriteTimeout(Duration writeTimeout) {
    return new ImportOptions(batchSize, Objects.requireNonNull(writeTimeout, "writeTimeout"),
        progress, snapshotPluginId);
  }

  /** Progress in events: step "import", events written, total events in the file. */
  public ImportOptions withProgress(ProgressListener progress) {
    return new ImportOptions(batchSize, writeTimeout, progress, snapshotPluginId);
  }

  /**
   * The snapshot store plugin the file's snapshot lines are saved to (through its own
   * {@code SaveSnapshot} protocol); by default the system's default snapshot store
   * ({@code pekko.persistence.snapshot-store.plugin}).
   */
  public ImportOptions withSnapshotPluginId(String snapshotPluginId) {
    if (snapshotPluginId == null || snapshotPluginId.isBlank()) {
      throw new IllegalArgumentException("'snapshotPluginId' must not be empty, was ["
          + snapshotPluginId + "]");
    }
    return new ImportOptions(batchSize, writeTimeout, progress, Optional.of(snapshotPluginId));
  }

  public Optional<String> snapshotPluginId() {
    return snapshotPluginId;
  }

  public int batchSize() {
    return batchSize;
  }

  public Duration writeTimeout() {
    return writeTimeout;
  }

  public ProgressListener progress() {
    return progress;
  }
}
