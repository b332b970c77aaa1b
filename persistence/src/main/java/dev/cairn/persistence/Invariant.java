package dev.cairn.persistence;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * A named check on state, run after every applied event and after recovery. A violation is a
 * detected error that goes to the {@link RollbackPolicy}.
 *
 * @param name shown in errors and rollback markers
 * @param check returns true when the state is valid
 * @param <S> the state type
 */
public record Invariant<S>(String name, Predicate<? super S> check) {
  public Invariant {
    Objects.requireNonNull(check, "'check' must not be null");
    if (name == null || name.isBlank())
      throw new IllegalArgumentException("'name' must not be blank, was [" + name + "]");
  }

  public static <S> Invariant<S> of(String name, Predicate<? super S> check) {
    return new Invariant<>(name, check);
  }

  /** True when the state satisfies this invariant. */
  public boolean holds(S state) {
    return check.test(state);
  }
}
