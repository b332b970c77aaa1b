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
}
