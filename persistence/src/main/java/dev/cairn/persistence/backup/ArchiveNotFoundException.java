package dev.cairn.persistence.backup;

/** The archive file to verify or restore does not exist or is not a regular file. */
public class ArchiveNotFoundException extends BackupException {
  public ArchiveNotFoundException(String message) {
    super(message);
  }
}
