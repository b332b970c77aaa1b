package dev.cairn.persistence.leveldb;

import java.nio.file.Path;

/**
 * The journal or snapshot directory cannot be created or written (read-only file system,
 * missing permissions, or a file in the way). Fix the permissions or configure a writable
 * {@code dir}.
 */
public final class DirectoryNotWritableException extends JournalStorageException {
  private static final long serialVersionUID = 1L;
  private final transient Path directory;

  public DirectoryNotWritableException(Path directory, String reason, Throwable cause) {
    super("journal directory " + directory + " is not writable (" + reason + "); fix its"
        + " permissions or configure a writable 'dir'", cause);
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }
}
