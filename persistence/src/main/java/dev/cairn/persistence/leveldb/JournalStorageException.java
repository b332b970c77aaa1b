package dev.cairn.persistence.leveldb;

/**
 * Base class of every error raised by Cairn's LevelDB journal, snapshot store and read journal.
 * Each subclass names what was wrong (persistence id, sequence number, directory or key) and
 * what to do about it.
 */
public class JournalStorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public JournalStorageException(String message) {
    super(message);
  }

  public JournalStorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
