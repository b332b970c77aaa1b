package dev.cairn.supervision;

import java.time.Duration;

/** The failure reason of a child that did not answer its supervisor's liveness probe within its deadline. */
public final class ChildHungException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String childId;

  public ChildHungException(String supervisor, String childId, Duration deadline) {
    super("Child '" + childId + "' of supervisor '" + supervisor + "' is hung: it did not answer a liveness probe within "
        + deadline, null, false, false);
    this.childId = childId;
  }

  public String childId() {
    return childId;
  }
}
