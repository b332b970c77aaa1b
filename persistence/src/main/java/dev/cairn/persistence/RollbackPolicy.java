package dev.cairn.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which detected errors roll an event-sourced actor back, and to where. Immutable.
 *
 * <pre>{@code RollbackPolicy.toLastCheckpoint().onException(IllegalStateException.class).onInvariantViolation()}</pre>
 *
 * <p>A rollback appends a {@link RollbackMarker} that carries the target state. Explicit
 * {@link PolicyCommand.RollBack} commands carry their own target and work under any policy,
 * including {@link #disabled()}.
 */
public final class RollbackPolicy {

  private static final RollbackPolicy DISABLED =
      new RollbackPolicy(RollbackTarget.lastCheckpoint(), List.of(), false);

  private final RollbackTarget target;
  private final List<Class<? extends Throwable>> exceptions;
  private final boolean onInvariantViolation;

  private RollbackPolicy(RollbackTarget target, List<Class<? extends Throwable>> exceptions, boolean onInvariant) {
    this.target = target;
    this.exceptions = List.copyOf(exceptions);
    this.onInvariantViolation = onInvariant;
  }

  /** No automatic rollback (explicit rollback commands still work). */
  public static RollbackPolicy disabled() {
    return DISABLED;
  }

  public static RollbackPolicy toLastCheckpoint() {
    return to(RollbackTarget.lastCheckpoint());
  }

  public static RollbackPolicy toCheckpointsBack(int n) {
    return to(RollbackTarget.checkpointsBack(n));
  }

  public static RollbackPolicy toNewestValidState() {
    return to(RollbackTarget.newestValidState());
  }

  /** Rolls back to {@code target} when a trigger fires. */
  public static RollbackPolicy to(RollbackTarget target) {
    Objects.requireNonNull(target, "'target' must not be null");
    return new RollbackPolicy(target, List.of(), false);
  }

  /**
   * Roll back when the event handler throws one of these types (or a subtype) while applying a
   * live event. First matching type wins.
   */
  @SafeVarargs
  public final RollbackPolicy onException(Class<? extends Throwable>... types) {
    List<Class<? extends Throwable>> all = new ArrayList<>(exceptions);
    for (Class<? extends Throwable> t : types) {
      Objects.requireNonNull(t, "'onException' types must not be null");
      all.add(t);
    }
    if (all.isEmpty()) throw new IllegalArgumentException("'onException' needs at least one type, was []");
    return new RollbackPolicy(target, all, onInvariantViolation);
  }

  /** Roll back when an {@link Invariant} does not hold after an event or after recovery. */
  public RollbackPolicy onInvariantViolation() {
    return new RollbackPolicy(target, exceptions, true);
  }

  public RollbackTarget target() {
    return target;
  }

  public List<Class<? extends Throwable>> exceptions() {
    return exceptions;
  }

  public boolean rollsBackOnInvariantViolation() {
    return onInvariantViolation;
  }

  /** True when {@code t} is one of the configured exception types. */
  public boolean rollsBackOn(Throwable t) {
    for (Class<? extends Throwable> c : exceptions) if (c.isInstance(t)) return true;
    return false;
  }

  @Override
  public String toString() {
    if (exceptions.isEmpty() && !onInvariantViolation) return "RollbackPolicy[disabled]";
    return "RollbackPolicy[to " + target + " on " + exceptions.stream().map(Class::getSimpleName).toList()
        + (onInvariantViolation ? " and invariant violations" : "") + "]";
  }
}
