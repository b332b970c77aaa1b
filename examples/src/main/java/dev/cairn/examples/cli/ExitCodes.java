package dev.cairn.examples.cli;

/** The exit codes of the {@code cairn} command line (documented in docs/operations.md). */
public final class ExitCodes {
  private ExitCodes() {}

  /** Done, nothing wrong. */
  public static final int OK = 0;
  /** {@code verify} found problems; each is listed. */
  public static final int PROBLEMS_FOUND = 1;
  /** The command line is wrong (unknown command or option, missing argument). */
  public static final int USAGE = 2;
  /** The journal directory is locked by another process (is the service running?). */
  public static final int IN_USE = 3;
  /** A directory, archive, file or persistence id does not exist. */
  public static final int NOT_FOUND = 4;
  /** Corrupt data: a record or archive fails its checksum, is truncated or unsafe. */
  public static final int CORRUPT = 5;
  /**
   * Refused to protect data: restore target not empty, import into ids that have events, import
   * of ids whose actors would recover a wrong state (deleted events without a snapshot).
   */
  public static final int REFUSED = 6;
  /** Any other failure (I/O error, bug); the message says what happened. */
  public static final int FAILED = 10;
}
