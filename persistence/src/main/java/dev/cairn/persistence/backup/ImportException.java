package dev.cairn.persistence.backup;

/**
 * An import was refused or failed: a malformed line (its number is in the message), sequence
 * numbers out of order, a persistence id that already has events in the target journal, or an
 * event the target journal rejected. Events written before the failure stay written; the message
 * says up to which line.
 */
public class ImportException extends BackupException {
  public ImportException(String message) {
    super(message);
  }

  public ImportException(String message, Throwable cause) {
    super(message, cause);
  }
}
