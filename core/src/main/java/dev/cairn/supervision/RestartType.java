package dev.cairn.supervision;

/** Whether a child is restarted at all when it terminates on its own. */
public enum RestartType {
  /** Always restarted, after a failure and after a normal exit. */
  PERMANENT,
  /** Restarted only after a failure; a normal exit leaves it stopped. */
  TRANSIENT,
  /** Never restarted; removed from the supervisor when it terminates. */
  TEMPORARY
}
