package dev.cairn.persistence.backup;

/**
 * The journal or snapshot directory is locked by another process, typically the running
 * service. Stop the service, or back up from inside it ({@link CairnBackup} online backup).
 */
public class JournalInUseException extends BackupException {
  public JournalInUseException(String message, Throwable cause) {
    super(message, cause);
  }
}
