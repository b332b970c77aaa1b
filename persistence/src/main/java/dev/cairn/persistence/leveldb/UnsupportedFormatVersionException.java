package dev.cairn.persistence.leveldb;

import java.nio.file.Path;

/**
 * The directory holds data in an on-disk format this version of Cairn does not know (written
 * by a newer Cairn), or is not a Cairn journal at all. Nothing was changed. Use the Cairn
 * version that wrote it, or point {@code dir} at a Cairn journal.
 */
public final class UnsupportedFormatVersionException extends JournalStorageException {
  private static final long serialVersionUID = 1L;

  public UnsupportedFormatVersionException(Path directory, String found, int supported) {
    super("journal directory " + directory + " has on-disk format version " + found
        + ", this Cairn supports version " + supported + "; open it with the Cairn version that"
        + " wrote it (nothing was changed)");
  }
}
