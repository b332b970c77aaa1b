package dev.cairn.supervision;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One failure of a child, as its supervisor saw it.
 *
 * @param supervisor   the supervisor's name
 * @param childId      the failed child's id
 * @param cause        what the child threw ({@link ChildHungException} for a hung child)
 * @param messageType  class name of the message (or signal) being processed, if the failure happened in one
 * @param time         when the supervisor recorded it (from the supervisor's clock)
 * @param restartCount how often the child had been restarted before this failure
 * @param message      the message itself, only if the supervisor's {@link MessageRedactor} allowed it
 */
public record FailureRecord(String supervisor, String childId, Throwable cause, Optional<String> messageType, Instant time,
    int restartCount, Optional<Object> message) {

  public FailureRecord {
    Objects.requireNonNull(supervisor);
    Objects.requireNonNull(childId);
    Objects.requireNonNull(cause);
    Objects.requireNonNull(messageType);
    Objects.requireNonNull(time);
    Objects.requireNonNull(message);
  }

  @Override
  public String toString() {
    return "Child '" + childId + "' of supervisor '" + supervisor + "' failed with " + cause
        + messageType.map(t -> " while processing a " + t).orElse("") + " at " + time + " after " + restartCount
        + " restart(s)";
  }
}
