package dev.cairn.persistence.backup;

/**
 * Restore refuses a target directory that exists and is not empty (or that is locked by a
 * running journal): a restore never merges into or overwrites existing data.
 */
public class RestoreTargetNotEmptyException extends BackupException {
  public RestoreTargetNotEmptyException(String message) {
    super(message);
  }
}
