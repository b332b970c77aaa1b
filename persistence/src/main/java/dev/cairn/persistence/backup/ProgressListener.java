package dev.cairn.persistence.backup;

/**
 * Receives progress of long work (backup, verify, restore, export, import). Called from the
 * working thread; keep it cheap.
 */
@FunctionalInterface
public interface ProgressListener {
  /**
   * @param step what is being done, e.g. "journal" or "snapshots"
   * @param done units done so far in this step (records or events)
   * @param total units in this step, or -1 when not known in advance
   */
  void onProgress(String step, long done, long total);

  /** A listener that ignores progress. */
  static ProgressListener none() {
    return (step, done, total) -> {};
  }
}
