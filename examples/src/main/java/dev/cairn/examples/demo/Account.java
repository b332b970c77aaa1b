package dev.cairn.examples.demo;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.cairn.persistence.CairnSerializable;
import dev.cairn.persistence.CheckpointPolicy;
import dev.cairn.persistence.Effect;
import dev.cairn.persistence.EventSourcedActor;
import dev.cairn.persistence.PoisonEventPolicy;
import dev.cairn.persistence.RollbackPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;

/**
 * A bank account: an event-sourced actor with checkpoint, rollback and poison-event policies.
 *
 * <p>Debits and credits are idempotent per teller: a teller runs one transfer at a time with
 * increasing sequence numbers, so an account remembers, per teller, the last transfer it handled
 * and its outcome. A redelivered debit or credit (a teller retrying after a timeout or after its
 * own redo) is answered from that memory instead of being applied twice. A refused debit is
 * persisted too, so a retry cannot turn a refusal into a debit the teller never hears about.
 *
 * <p>Two invariants hold after every event: the balance is never negative, and the books balance
 * (balance = opening + credits - debits). An event that breaks one is undone by rollback to the
 * newest state that satisfies both, which is the state right before that event: no legitimate
 * debit or credit is ever undone.
 */
public final class Account {
  private Account() {}

  /** The persistence id of account {@code index}. */
  public static PersistenceId persistenceId(int index) {
    return PersistenceId.of("Account", String.format("%04d", index));
  }

  // ------------------------------------------------------------------ protocol

  /** Everything an account understands. */
  public sealed interface Command {}

  /** Opens the account with {@code amount} unless it is open already; replies with the balance. */
  public record Open(long amount, ActorRef<Balance> replyTo) implements Command {}

  /** Takes {@code amount} for transfer {@code seq} of {@code teller}, if the balance allows it. */
  public record Debit(String teller, long seq, long amount, ActorRef<Teller.Command> replyTo) implements Command {}

  /** Adds {@code amount} for transfer {@code seq} of {@code teller}. */
  public record Credit(String teller, long seq, long amount, ActorRef<Teller.Command> replyTo) implements Command {}

  /** Asks for the balance. */
  public record GetBalance(ActorRef<Balance> replyTo) implements Command {}

  /**
   * Sent by the supervisor to stop the account gracefully: handled only once no write is in flight
   * (commands wait while an event is being persisted), so a restarted incarnation never races a write
   * of the one before.
   */
  public record Stop() implements Command {}

  /** Injected fault: the command handler throws. */
  public record Crash() implements Command {}

  /** Injected fault: the command handler blocks its thread for {@code duration} (hang detection fires). */
  public record Stall(Duration duration) implements Command {}

  /** Injected fault: persists a {@link BalanceCorrupted} event that breaks the books. */
  public record Corrupt(long delta) implements Command {}

  /**
   * Injected fault: persists a {@link PoisonNote}, an event that can be written but never read back,
   * calls {@code onWritten}, then fails so that redo meets the poison event at once.
   */
  public record AppendPoison(Runnable onWritten) implements Command {}

  /** Reply to {@link Open} and {@link GetBalance}. */
  public record Balance(int account, boolean opened, long opening, long balance) {}

  /** Thrown by the {@link Crash} fault. */
  public static final class InjectedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InjectedFailure(String message) {
      super(message, null, false, false);
    }
  }

  // ------------------------------------------------------------------ events

  /** Events of an account; serialized with Jackson CBOR through Cairn's binding. */
  public sealed interface Event extends CairnSerializable {}

  public record Opened(long amount) implements Event {}

  public record Debited(String teller, long seq, long amount) implements Event {}

  public record DebitRefused(String teller, long seq) implements Event {}

  public record Credited(String teller, long seq, long amount) implements Event {}

  /** Changes the balance without a debit or credit: violates "the books balance". */
  public record BalanceCorrupted(long delta) implements Event {}

  /**
   * An event this version of the code can write but not read back, like an event written by an
   * older version whose class has since changed incompatibly. Redo finds it unreadable, skips it
   * and writes a quarantine record ({@link PoisonEventPolicy#SKIP_AND_QUARANTINE}).
   */
  public record PoisonNote(String text) implements Event {
    @JsonCreator
    static PoisonNote fromJson(@JsonProperty("text") String text) {
      throw new IllegalStateException("PoisonNote can no longer be read: its format changed");
    }
  }

  // ------------------------------------------------------------------ state

  /** What an account remembers about a teller's last transfer that touched it. */
  public record LastOp(long seq, boolean applied) {}

  /** The state of an account (immutable). */
  public record State(boolean opened, long opening, long balance, long credited, long debited,
      Map<String, LastOp> lastOps) implements CairnSerializable {

    public static final State EMPTY = new State(false, 0, 0, 0, 0, Map.of());

    public State {
      lastOps = Map.copyOf(lastOps);
    }

    /** True when the books balance: balance = opening + credits - debits. */
    public boolean booksBalance() {
      return balance == opening + credited - debited;
    }

    State apply(Event event) {
      if (event instanceof Opened e) {
        return new State(true, e.amount(), balance + e.amount(), credited, debited, lastOps);
      } else if (event instanceof Debited e) {
        return new State(opened, opening, balance - e.amount(), credited, debited + e.amount(),
            withLastOp(e.teller(), new LastOp(e.seq(), true)));
      } else if (event instanceof DebitRefused e) {
        return new State(opened, opening, balance, credited, debited, withLastOp(e.teller(), new LastOp(e.seq(), false)));
      } else if (event instanceof Credited e) {
        return new State(opened, opening, balance + e.amount(), credited + e.amount(), debited,
            withLastOp(e.teller(), new LastOp(e.seq(), true)));
      } else if (event instanceof BalanceCorrupted e) {
        return new State(opened, opening, balance + e.delta(), credited, debited, lastOps);
      } else {
        return this; // PoisonNote changes nothing
      }
    }

    private Map<String, LastOp> withLastOp(String teller, LastOp op) {
      Map<String, LastOp> m = new HashMap<>(lastOps);
      m.put(teller, op);
      return m;
    }
  }

  // ------------------------------------------------------------------ behavior

  /** The account's behavior with its policies; {@code index} names it. */
  public static Behavior<Command> create(int index) {
    return definition(index).behavior();
  }

  /** The account as an {@link EventSourcedActor}: its behavior, or a read-only replay of its journal. */
  static EventSourcedActor<Command, Event, State> definition(int index) {
    return EventSourcedActor.of(persistenceId(index), State.EMPTY,
            (State s, Command c) -> onCommand(index, s, c), State::apply)
        .withCheckpointPolicy(CheckpointPolicy.everyEvents(100).orEvery(Duration.ofSeconds(5)).keepLast(2))
        .withRollbackPolicy(RollbackPolicy.toNewestValidState().onInvariantViolation())
        .withInvariant("balance is never negative", s -> s.balance() >= 0)
        .withInvariant("the books balance", State::booksBalance)
        .withPoisonEventPolicy(PoisonEventPolicy.SKIP_AND_QUARANTINE);
  }

  private static Effect<Event, State> onCommand(int index, State s, Command command) {
    if (command instanceof Debit d) {
      LastOp last = s.lastOps().get(d.teller());
      if (last != null && d.seq() <= last.seq()) {
        // a redelivery: answer from memory, apply nothing
        if (d.seq() == last.seq()) d.replyTo().tell(new Teller.DebitResult(d.seq(), last.applied()));
        return Effect.none();
      }
      if (s.balance() < d.amount()) {
        return Effect.<Event, State>persist(new DebitRefused(d.teller(), d.seq()))
            .thenRun(st -> d.replyTo().tell(new Teller.DebitResult(d.seq(), false)));
      }
      return Effect.<Event, State>persist(new Debited(d.teller(), d.seq(), d.amount()))
          .thenRun(st -> d.replyTo().tell(new Teller.DebitResult(d.seq(), true)));
    } else if (command instanceof Credit c) {
      LastOp last = s.lastOps().get(c.teller());
      if (last != null && c.seq() <= last.seq()) {
        if (c.seq() == last.seq()) c.replyTo().tell(new Teller.CreditResult(c.seq()));
        return Effect.none();
      }
      return Effect.<Event, State>persist(new Credited(c.teller(), c.seq(), c.amount()))
          .thenRun(st -> c.replyTo().tell(new Teller.CreditResult(c.seq())));
    } else if (command instanceof GetBalance g) {
      g.replyTo().tell(balance(index, s));
      return Effect.none();
    } else if (command instanceof Open o) {
      if (s.opened()) {
        o.replyTo().tell(balance(index, s));
        return Effect.none();
      }
      return Effect.<Event, State>persist(new Opened(o.amount())).thenReply(o.replyTo(), st -> balance(index, st));
    } else if (command instanceof Stop) {
      return Effect.stop();
    } else if (command instanceof Crash) {
      throw new InjectedFailure("injected failure in the command handler of account " + index);
    } else if (command instanceof Stall st) {
      stall(st.duration());
      return Effect.none();
    } else if (command instanceof Corrupt c) {
      return Effect.persist(new BalanceCorrupted(c.delta()));
    } else if (command instanceof AppendPoison p) {
      return Effect.<Event, State>persist(new PoisonNote("written by the fault injector")).thenRun(st -> {
        p.onWritten().run();
        throw new InjectedFailure("account " + index + " wrote a poison event; redo will meet it");
      });
    }
    return Effect.unhandled();
  }

  private static Balance balance(int index, State s) {
    return new Balance(index, s.opened(), s.opening(), s.balance());
  }

  /** Blocks the actor's thread on purpose: a stuck handler that its supervisor must detect. */
  private static void stall(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
