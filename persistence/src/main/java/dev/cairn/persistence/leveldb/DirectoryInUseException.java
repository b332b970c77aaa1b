package dev.cairn.persistence.leveldb;

import java.nio.file.Path;

/**
 * The LevelDB directory is locked by another process (LevelDB allows one process per
 * directory). Stop the other process, or configure a different {@code dir}.
 */
public final class DirectoryInUseException extends JournalStorageException {
  private static final long serialVersionUID = 1L;
  private final transient Path directory;

  public DirectoryInUseException(Path directory, Throwable cause) {
    super("journal directory " + directory + " is in use by another process; stop that process or"
        + " configure a different 'dir'", cause);
    this.directory = directory;
  }

  public Path directory() {
    return directory;
  }
}
