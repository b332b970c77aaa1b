package dev.cairn.persistence;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.PersistenceId;

/** Test fixture: a counter whose events and state can be made unreadable or failing on purpose. */
public final class Counter {

  private Counter() {}

  /** Event amounts whose stored form cannot be read back (their constructor throws). */
  public static final Set<Integer> UNREADABLE_AMOUNTS = ConcurrentHashMap.newKeySet();
  /** State values whose stored form cannot be read back. */
  public static final Set<Long> UNREADABLE_TOTALS = ConcurrentHashMap.newKeySet();
  /** How often the event handler saw an {@link Exploded} event. */
  public static final AtomicInteger EXPLOSIONS = new AtomicInteger();
  /** How often a stored event in {@link #UNREADABLE_AMOUNTS} was read. */
  public static final AtomicInteger UNREADABLE_READS = new AtomicInteger();

  public interface Cmd {}

  public record Add(int amount, ActorRef<Long> replyTo) implements Cmd {}

  public record AddAll(List<Integer> amounts, ActorRef<Long> replyTo) implements Cmd {}

  public record Get(ActorRef<Long> replyTo) implements Cmd {}

  /** The command handler throws. */
  public record Crash(String why) implements Cmd {}

  /** Persists an {@link Exploded} event, whose handler throws. */
  public record Explode(String why, ActorRef<Long> replyTo) implements Cmd {}

  public sealed interface Event extends CairnSerializable permits Added, Exploded {}

  public record Added(int amount) implements Event {
    /** Used by Jackson only: reading a stored event fails for amounts in {@link #UNREADABLE_AMOUNTS}. */
    @JsonCreator
    static Added fromJson(@JsonProperty("amount") int amount) {
      if (UNREADABLE_AMOUNTS.contains(amount)) {
        UNREADABLE_READS.incrementAndGet();
        throw new IllegalArgumentException("unreadable amount " + amount);
      }
      return new Added(amount);
    }
  }

  public record Exploded(String why) implements Event {}

  public record Total(long value) implements CairnSerializable {
    /** Used by Jackson only: reading a stored state fails for values in {@link #UNREADABLE_TOTALS}. */
    @JsonCreator
    static Total fromJson(@JsonProperty("value") long value) {
      if (UNREADABLE_TOTALS.contains(value)) throw new IllegalArgumentException("unreadable total " + value);
      return new Total(value);
    }
  }

  public static Effect<Event, Total> onCommand(Total state, Cmd cmd) {
    if (cmd instanceof Add a) return Effect.<Event, Total>persist(new Added(a.amount())).thenReply(a.replyTo(), Total::value);
    if (cmd instanceof AddAll a)
      return Effect.<Event, Total>persist(a.amounts().stream().map(Added::new).toList()).thenReply(a.replyTo(), Total::value);
    if (cmd instanceof Get g) return Effect.<Event, Total>none().thenReply(g.replyTo(), Total::value);
    if (cmd instanceof Explode e) return Effect.<Event, Total>persist(new Exploded(e.why())).thenReply(e.replyTo(), Total::value);
    if (cmd instanceof Crash c) throw new IllegalStateException("crash requested: " + c.why());
    return Effect.unhandled();
  }

  public static Total onEvent(Total state, Event event) {
    if (event instanceof Added a) return new Total(state.value() + a.amount());
    EXPLOSIONS.incrementAndGet();
    throw new IllegalStateException("exploded: " + ((Exploded) event).why());
  }

  public static EventSourcedActor<Cmd, Event, Total> actor(String id) {
    return EventSourcedActor.of(PersistenceId.ofUniqueId(id), new Total(0), Counter::onCommand, Counter::onEvent);
  }
}
