package dev.cairn.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a command handler asks for: persist events (or nothing), then run side effects with the
 * new state. Side effects run only when every event was applied; after a rollback triggered by
 * one of the events they are skipped.
 *
 * <pre>{@code Effect.persist(new Deposited(10)).thenReply(replyTo, s -> s.balance())}</pre>
 */
public final class Effect<E, S> {

  /** INTERNAL API. */
  public enum Kind { PERSIST, NONE, UNHANDLED, STOP }

  private final Kind kind;
  private final List<E> events;
  private List<Consumer<? super S>> sideEffects = List.of();
  private boolean stopAfter;

  private Effect(Kind kind, List<E> events) {
    this.kind = kind;
    this.events = events;
  }

  public static <E, S> Effect<E, S> persist(E event) {
    Objects.requireNonNull(event, "'event' must not be null");
    return new Effect<>(Kind.PERSIST, List.of(event));
  }

  /** Persists the events atomically (all or none). */
  public static <E, S> Effect<E, S> persist(List<? extends E> events) {
    Objects.requireNonNull(events, "'events' must not be null");
    return new Effect<>(events.isEmpty() ? Kind.NONE : Kind.PERSIST, List.copyOf(events));
  }

  public static <E, S> Effect<E, S> none() {
    return new Effect<>(Kind.NONE, List.of());
  }

  public static <E, S> Effect<E, S> unhandled() {
    return new Effect<>(Kind.UNHANDLED, List.of());
  }

  public static <E, S> Effect<E, S> stop() {
    return new Effect<>(Kind.STOP, List.of());
  }

  /** Runs {@code action} with the new state once the events are persisted and applied. */
  public Effect<E, S> thenRun(Consumer<? super S> action) {
    Objects.requireNonNull(action, "'action' must not be null");
    if (sideEffects.isEmpty()) sideEffects = new ArrayList<>(2);
    sideEffects.add(action);
    return this;
  }

  /** Replies to {@code replyTo} with a message computed from the new state. */
  public <R> Effect<E, S> thenReply(ActorRef<? super R> replyTo, Function<? super S, ? extends R> reply) {
    Objects.requireNonNull(replyTo, "'replyTo' must not be null");
    Objects.requireNonNull(reply, "'reply' must not be null");
    return thenRun(s -> replyTo.tell(reply.apply(s)));
  }

  /** Stops the actor after the side effects. */
  public Effect<E, S> thenStop() {
    stopAfter = true;
    return this;
  }

  /** INTERNAL API. */
  public Kind kind() {
    return kind;
  }

  /** INTERNAL API. */
  public List<E> events() {
    return events;
  }

  /** INTERNAL API. */
  public List<Consumer<? super S>> sideEffects() {
    return sideEffects;
  }

  /** INTERNAL API. */
  public boolean stopAfter() {
    return stopAfter;
  }
}
