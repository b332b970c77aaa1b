package dev.cairn.persistence.backup;

/** The archive was written in a format version this Cairn version cannot read. */
public class UnsupportedArchiveVersionException extends BackupException {
  public UnsupportedArchiveVersionException(String message) {
    super(message);
  }
}
