package dev.cairn.supervision;

import java.time.Duration;

/** Thrown by a supervisor that saw more restarts than its intensity allows: it escalates to its parent. */
public final class RestartIntensityExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String supervisor;

  public RestartIntensityExceededException(String supervisor, int maxRestarts, Duration period, Throwable lastCause) {
    super("Supervisor '" + supervisor + "' exceeded its restart intensity of " + maxRestarts + " restarts within "
        + period + "; it stopped its children and escalates to its parent", lastCause);
    this.supervisor = supervisor;
  }

  /** Name of the supervisor that gave up. */
  public String supervisor() {
    return supervisor;
  }
}
