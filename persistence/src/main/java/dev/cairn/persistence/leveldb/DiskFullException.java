package dev.cairn.persistence.leveldb;

import java.nio.file.Path;

/**
 * A write failed because the disk holding the journal directory is full. Nothing of the
 * failed write was acknowledged. Free space, then restart the affected actors.
 */
public final class DiskFullException extends JournalStorageException {
  private static final long serialVersionUID = 1L;

  public DiskFullException(Path directory, Throwable cause) {
    super("No space left on the disk of journal directory " + directory + "; the write was not"
        + " acknowledged. Free disk space and restart the affected actors.", cause);
  }

  /** Refused before writing: less than {@code minFreeBytes} ({@code min-free-space}) is left. */
  public DiskFullException(Path directory, long usableBytes, long minFreeBytes) {
    super("Only " + mib(usableBytes) + " free on the disk of journal directory " + directory + ", less than min-free-space ("
        + mib(minFreeBytes) + ") that LevelDB needs to flush and compact safely; the write was not acknowledged. Free disk"
        + " space (writes resume by themselves once there is enough) and restart the affected actors.", null);
  }

  private static String mib(long bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
  }
}
