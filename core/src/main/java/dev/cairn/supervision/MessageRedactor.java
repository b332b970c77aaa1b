package dev.cairn.supervision;

import java.util.Optional;

/**
 * Decides whether the message a child was processing when it failed may be kept in its {@link FailureRecord}.
 * By default ({@link #hideAll()}) only the message's type is recorded, never its payload.
 */
@FunctionalInterface
public interface MessageRedactor {
  /** The value to keep for {@code message} (possibly a redacted copy), or empty to keep nothing. */
  Optional<Object> reveal(String childId, Object message);

  /** Keeps no message payload at all (the default). */
  static MessageRedactor hideAll() {
    return (childId, message) -> Optional.empty();
  }

  /** Keeps every message as it is: use only for messages without secrets or personal data. */
  static MessageRedactor revealAll() {
    return (childId, message) -> Optional.of(message);
  }
}
