package dev.cairn.supervision;

/**
 * A supervisor spec, child spec, directive or failure policy was built with invalid values. {@link #reason()}
 * is a stable, named reason (for example {@code bad_combination}, {@code duplicate_child_id}); the message
 * names the offending value and how to fix it.
 */
public final class InvalidSpecException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String reason;

  public InvalidSpecException(String reason, String message) {
    super(reason + ": " + message);
    this.reason = reason;
  }

  /** The named reason, e.g. {@code invalid_intensity}. */
  public String reason() {
    return reason;
  }
}
