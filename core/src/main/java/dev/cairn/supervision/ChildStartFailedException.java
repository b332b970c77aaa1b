package dev.cairn.supervision;

/** A child failed while its supervisor started it in order; the supervisor's start is aborted. */
public final class ChildStartFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String supervisor;
  private final String childId;

  public ChildStartFailedException(String supervisor, String childId, Throwable cause) {
    super("Supervisor '" + supervisor + "' could not start child '" + childId + "': "
        + (cause == null ? "it stopped during start" : cause), cause);
    this.supervisor = supervisor;
    this.childId = childId;
  }

  public String supervisor() {
    return supervisor;
  }

  public String childId() {
    return childId;
  }
}
