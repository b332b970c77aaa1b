package dev.cairn.persistence.backup;

/** The journal directory (or a persistence id asked for) does not exist. */
public class JournalNotFoundException extends BackupException {
  public JournalNotFoundException(String message) {
    super(message);
  }
}
