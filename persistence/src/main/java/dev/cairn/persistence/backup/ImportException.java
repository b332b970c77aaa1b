package dev.cairn.persistence.backup;

/**
 * An import was refused or failed: a malformed line (its number is in the message), sequence
 * numbers out of order, a persistence id whose events were deleted up to N but that has no
 * snapshot at or after N in the file (its actors would recover a wrong state), a persistence id
 * that already has events in the target journal (or a newer snapshot in the target snapshot
 * store), or an event or snapshot the target rejected. Refusals of the first pass write nothing;
 * events written before a later failure stay written, and the message says how many.
 */
public class ImportException extends BackupException {
  public ImportException(String message) {
    super(message);
  }

  public ImportException(String message, Throwable cause) {
    super(message, cause);
  }
}
