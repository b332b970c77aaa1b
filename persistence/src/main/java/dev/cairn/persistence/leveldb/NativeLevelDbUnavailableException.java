package dev.cairn.persistence.leveldb;

/**
 * {@code native = on} was configured but the leveldbjni native library cannot be loaded on this
 * platform. Use {@code native = auto} (falls back to the pure-Java implementation) or
 * {@code native = off}.
 */
public final class NativeLevelDbUnavailableException extends JournalStorageException {
  private static final long serialVersionUID = 1L;

  public NativeLevelDbUnavailableException(Throwable cause) {
    super("native = on but the leveldbjni native library cannot be loaded on "
        + System.getProperty("os.name") + "/" + System.getProperty("os.arch")
        + "; use native = auto or native = off", cause);
  }
}
