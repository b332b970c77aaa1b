package dev.cairn.persistence;

/** Applies an event to the state and returns the new state. Used live and during redo. */
@FunctionalInterface
public interface EventHandler<S, E> {
  S apply(S state, E event);
}
