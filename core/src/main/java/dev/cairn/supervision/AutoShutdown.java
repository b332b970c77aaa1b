package dev.cairn.supervision;

/** Whether a supervisor shuts itself down when its significant children terminate on their own. */
public enum AutoShutdown {
  /** Never; significant children are not accepted. */
  NEVER,
  /** When any significant child terminates on its own and is not restarted. */
  ANY_SIGNIFICANT,
  /** When every significant child has terminated on its own and is not restarted. */
  ALL_SIGNIFICANT
}
