package dev.cairn.persistence.backup;

/**
 * The archive's content does not match what its manifest declares: a checksum mismatch, a
 * truncated or tampered entry, a malformed manifest, or a file that is not a Cairn archive at
 * all. Nothing was restored.
 */
public class ArchiveCorruptException extends BackupException {
  public ArchiveCorruptException(String message) {
    super(message);
  }

  public ArchiveCorruptException(String message, Throwable cause) {
    super(message, cause);
  }
}
