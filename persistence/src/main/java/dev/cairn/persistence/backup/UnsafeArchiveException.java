package dev.cairn.persistence.backup;

/**
 * The archive contains something a Cairn backup never holds and that could harm the machine it
 * is restored on: a path escaping the target directory ("zip-slip"), a link, a directory entry,
 * an unexpected entry, or sizes and counts beyond the configured limits. The archive is rejected
 * before anything is written.
 */
public class UnsafeArchiveException extends ArchiveCorruptException {
  public UnsafeArchiveException(String message) {
    super(message);
  }
}
