package dev.cairn.persistence;

/**
 * Decides what a command does, given the current state. It must not change the state: it returns
 * an {@link Effect} (events to persist, side effects to run after). An exception persists nothing
 * and fails the actor with a {@link CommandFailedException} naming the command type; the
 * supervisor restarts it and redo brings the state back.
 */
@FunctionalInterface
public interface CommandHandler<C, E, S> {
  Effect<E, S> apply(S state, C command);
}
