package dev.cairn.persistence.backup;

/**
 * Limits applied when reading an archive, which is treated as untrusted input. An archive beyond
 * any limit is rejected with {@link UnsafeArchiveException} before anything is written. The
 * defaults are far above what a real journal needs and far below what exhausts a machine.
 */
public final class ArchiveLimits {
  private static final ArchiveLimits DEFAULTS =
      new ArchiveLimits(64L << 30, 256L << 20, 4L << 20, 10_000_000_000L, 2_000L);

  private final long maxEntryBytes;
  private final long maxValueBytes;
  private final long maxKeyBytes;
  private final long maxRecords;
  private final long maxCompressionRatio;

  private ArchiveLimits(
      long maxEntryBytes, long maxValueBytes, long maxKeyBytes, long maxRecords, long ratio) {
    this.maxEntryBytes = positive("maxEntryBytes", maxEntryBytes);
    this.maxValueBytes = positive("maxValueBytes", maxValueBytes);
    this.maxKeyBytes = positive("maxKeyBytes", maxKeyBytes);
    this.maxRecords = positive("maxRecords", maxRecords);
    this.maxCompressionRatio = positive("maxCompressionRatio", ratio);
  }

  /** 64 GiB per entry, 256 MiB per value, 4 MiB per key, 10 billion records, ratio 2000:1. */
  public static ArchiveLimits defaults() {
    return DEFAULTS;
  }

  private static long positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException("'" + name + "' must be > 0, was [" + value + "]");
    }
    return value;
  }

  public long maxEntryBytes() {
    return maxEntryBytes;
  }

  public long maxValueBytes() {
    return maxValueBytes;
  }

  public long maxKeyBytes() {
    return maxKeyBytes;
  }

  public long maxRecords() {
    return maxRecords;
  }

  /** Largest accepted ratio of uncompressed to compressed size of an entry (zip bombs). */
  public long maxCompressionRatio() {
    return maxCompressionRatio;
  }

  public ArchiveLimits withMaxEntryBytes(long value) {
    return new ArchiveLimits(value, maxValueBytes, maxKeyBytes, maxRecords, maxCompressionRatio);
  }

  public ArchiveLimits withMaxValueBytes(long value) {
    return new ArchiveLimits(maxEntryBytes, value, maxKeyBytes, maxRecords, maxCompressionRatio);
  }

  public ArchiveLimits withMaxKeyBytes(long value) {
    return new ArchiveLimits(maxEntryBytes, maxValueBytes, value, maxRecords, maxCompressionRatio);
  }

  public ArchiveLimits withMaxRecords(long value) {
    return new ArchiveLimits(maxEntryBytes, maxValueBytes, maxKeyBytes, value, maxCompressionRatio);
  }

  public ArchiveLimits withMaxCompressionRatio(long value) {
    return new ArchiveLimits(maxEntryBytes, maxValueBytes, maxKeyBytes, maxRecords, value);
  }

  @Override
  public String toString() {
    return "ArchiveLimits(maxEntryBytes=" + maxEntryBytes + ", maxValueBytes=" + maxValueBytes
        + ", maxKeyBytes=" + maxKeyBytes + ", maxRecords=" + maxRecords
        + ", maxCompressionRatio=" + maxCompressionRatio + ")";
  }
}
