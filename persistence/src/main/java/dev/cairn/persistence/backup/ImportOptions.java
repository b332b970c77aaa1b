package dev.cairn.persistence.backup;

import java.time.Duration;
import java.util.Objects;

/** Options of an import: write batch size, how long to wait for the journal, progress. */
public final class ImportOptions {
  private static final ImportOptions DEFAULTS =
      new ImportOptions(500, Duration.ofSeconds(60), ProgressListener.none());

  private final int batchSize;
  private final Duration writeTimeout;
  private final ProgressListener progress;

  private ImportOptions(int batchSize, Duration writeTimeout, ProgressListener progress) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("'batchSize' must be >= 1, was [" + batchSize + "]");
    }
    if (writeTimeout.isNegative() || writeTimeout.isZero()) {
      throw new IllegalArgumentException("'writeTimeout' must be > 0, was [" + writeTimeout + "]");
    }
    this.batchSize = batchSize;
    this.writeTimeout = writeTimeout;
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** Batches of 500 events, 60 s per batch, no progress reporting. */
  public static ImportOptions defaults() {
    return DEFAULTS;
  }

  /** Events sent to the journal in one write request (each event is its own atomic write). */
  public ImportOptions withBatchSize(int batchSize) {
    return new ImportOptions(batchSize, writeTimeout, progress);
  }

  /** How long one batch may take before the import fails. */
  public ImportOptions withWriteTimeout(Duration writeTimeout) {
    return new ImportOptions(batchSize, Objects.requireNonNull(writeTimeout, "writeTimeout"),
        progress);
  }

  /** Progress in events: step "import", events written, total events in the file. */
  public ImportOptions withProgress(ProgressListener progress) {
    return new ImportOptions(batchSize, writeTimeout, progress);
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
