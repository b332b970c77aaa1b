package dev.cairn.persistence.backup;

/**
 * Base type of every failure of backup, verify, restore, export and import. Its message says
 * what went wrong, with the offending file, entry or persistence id, and what to do.
 */
public class BackupException extends RuntimeException {
  public BackupException(String message) {
    super(message);
  }

  public BackupException(String message, Throwable cause) {
    super(message, cause);
  }
}
