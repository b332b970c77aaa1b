package dev.cairn.examples.demo;

import dev.cairn.persistence.CairnSerializable;
import dev.cairn.persistence.CheckpointPolicy;
import dev.cairn.persistence.Effect;
import dev.cairn.persistence.EventSourcedActor;
import dev.cairn.persistence.PolicyEvent;
import java.time.Duration;
import java.util.SplittableRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;

/**
 * A persistent transfer coordinator. It runs one transfer at a time:
 *
 * <ol>
 *   <li>persist {@link TransferStarted} (the transfer now exists and will be finished whatever happens);</li>
 *   <li>debit the source (idempotent, keyed by teller and sequence number); on a refusal for lack of funds
 *       persist {@link TransferRefused} and stop there;</li>
 *   <li>persist {@link DebitConfirmed}, then credit the target (idempotent the same way);</li>
 *   <li>persist {@link TransferCompleted}.</li>
 * </ol>
 *
 * Every request is retried until answered, and after a restart the teller's redo brings back the
 * pending transfer, which it resumes at the step it had reached. Because accounts answer a
 * redelivered request from memory, nothing is ever applied twice: money is only ever moved,
 * never created or lost.
 */
public final class Teller {
  private Teller() {}

  /** The persistence id of teller {@code index}. */
  public static PersistenceId persistenceId(int index) {
    return PersistenceId.of("Teller", String.format("%02d", index));
  }

  // ------------------------------------------------------------------ protocol

  public sealed interface Command {}

  /** Sent to itself after redo: resume the pending transfer or start a new one. */
  public record Resume() implements Command {}

  /** Start the next transfer if the bank is open and none is pending. */
  public record Next() implements Command {}

  /** A request of the pending transfer was not answered in time. */
  public record RetryTimeout(long seq, int attempt) implements Command {}

  /** An account's answer to a {@link Account.Debit}. */
  public record DebitResult(long seq, boolean applied) implements Command {}

  /** An account's answer to a {@link Account.Credit}. */
  public record CreditResult(long seq) implements Command {}

  /** Asks for the teller's status (pending transfer, counts). */
  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  /** Sent by the supervisor to stop the teller gracefully (once no write is in flight). */
  public record Stop() implements Command {}

  /** Injected fault: the command handler throws. */
  public record Crash() implements Command {}

  /** Reply to {@link GetStatus}; {@code inTransit} is money debited but not yet credited. */
  public record Status(int teller, boolean pending, long inTransit, long completed, long refused) {}

  // ------------------------------------------------------------------ events and state

  public sealed interface Event extends CairnSerializable {}

  public record TransferStarted(long seq, int from, int to, long amount) implements Event {}

  public record DebitConfirmed(long seq) implements Event {}

  public record TransferRefused(long seq) implements Event {}

  public record TransferCompleted(long seq) implements Event {}

  /** A transfer in progress; {@code debited} once the source confirmed the debit. */
  public record Pending(long seq, int from, int to, long amount, boolean debited) implements CairnSerializable {}

  /** The teller's state: the last sequence number used, the pending transfer (or null) and counts. */
  public record State(long lastSeq, Pending pending, long completed, long refused) implements CairnSerializable {
    public static final State EMPTY = new State(0, null, 0, 0);

    State apply(Event event) {
      if (event instanceof TransferStarted e) {
        return new State(e.seq(), new Pending(e.seq(), e.from(), e.to(), e.amount(), false), completed, refused);
      } else if (event instanceof DebitConfirmed) {
        Pending p = pending;
        return new State(lastSeq, new Pending(p.seq(), p.from(), p.to(), p.amount(), true), completed, refused);
      } else if (event instanceof TransferRefused) {
        return new State(lastSeq, null, completed, refused + 1);
      } else if (event instanceof TransferCompleted) {
        return new State(lastSeq, null, completed + 1, refused);
      }
      return this;
    }
  }

  // ------------------------------------------------------------------ behavior

  private static final Duration FIRST_RETRY = Duration.ofMillis(300);
  private static final Duration MAX_RETRY = Duration.ofSeconds(2);

  /** The teller's behavior; it moves money between the bank's accounts through {@code bank}. */
  public static Behavior<Command> create(int index, Bank bank) {
    return Behaviors.setup(ctx -> {
      Logic logic = new Logic(index, bank, ctx);
      return EventSourcedActor.of(persistenceId(index), State.EMPTY, logic::onCommand, State::apply)
          .withCheckpointPolicy(CheckpointPolicy.everyEvents(200).keepLast(2))
          .withEventListener(e -> {
            if (e instanceof PolicyEvent.Recovered) ctx.getSelf().tell(new Resume());
          })
          .behavior();
    });
  }

  /** A teller's history only, for a read-only replay of its journal ({@code recoverAsOf}). */
  static EventSourcedActor<Command, Event, State> replayable(int index) {
    return EventSourcedActor.of(persistenceId(index), State.EMPTY, (State s, Command c) -> Effect.none(), State::apply);
  }

  /** Per-incarnation logic: what is not state (the retry attempt) lives here. */
  private static final class Logic {
    private final int index;
    private final String name;
    private final Bank bank;
    private final ActorContext<Command> ctx;
    private int attempt; // token of the newest request; older retry timers are ignored
    private long stepSeq = -1;
    private boolean stepDebited;
    private int tries; // requests sent for the current step

    Logic(int index, Bank bank, ActorContext<Command> ctx) {
      this.index = index;
      this.name = "teller-" + index;
      this.bank = bank;
      this.ctx = ctx;
    }

    Effect<Event, State> onCommand(State s, Command command) {
      if (command instanceof DebitResult r) {
        Pending p = s.pending();
        if (p == null || p.seq() != r.seq() || p.debited()) return Effect.none(); // late or duplicate answer
        if (!r.applied()) {
          return Effect.<Event, State>persist(new TransferRefused(p.seq())).thenRun(st -> {
            bank.metrics().transferRefused();
            next();
          });
        }
        return Effect.<Event, State>persist(new DebitConfirmed(p.seq())).thenRun(st -> send(st.pending()));
      } else if (command instanceof CreditResult r) {
        Pending p = s.pending();
        if (p == null || p.seq() != r.seq() || !p.debited()) return Effect.none();
        return Effect.<Event, State>persist(new TransferCompleted(p.seq())).thenRun(st -> {
          bank.metrics().transferCompleted();
          next();
        });
      } else if (command instanceof Next || command instanceof Resume) {
        if (s.pending() != null) {
          if (command instanceof Resume) send(s.pending()); // resume where the last incarnation stopped
          return Effect.none();
        }
        if (!bank.open()) return Effect.none();
        return Effect.<Event, State>persist(pick(s.lastSeq() + 1)).thenRun(st -> send(st.pending()));
      } else if (command instanceof RetryTimeout t) {
        Pending p = s.pending();
        if (p != null && p.seq() == t.seq() && t.attempt() == attempt) send(p);
        return Effect.none();
      } else if (command instanceof GetStatus g) {
        Pending p = s.pending();
        g.replyTo().tell(new Status(index, p != null, p != null && p.debited() ? p.amount() : 0, s.completed(),
            s.refused()));
        return Effect.none();
      } else if (command instanceof Stop) {
        return Effect.stop();
      } else if (command instanceof Crash) {
        throw new Account.InjectedFailure("injected failure in the command handler of " + name);
      }
      return Effect.unhandled();
    }

    /** The next transfer, drawn from the demo's seed so a run is reproducible in what it asks for. */
    private TransferStarted pick(long seq) {
      SplittableRandom rnd = new SplittableRandom(bank.seed() * 1_000_003L + index * 7_919L + seq);
      int n = bank.accounts();
      int from = rnd.nextInt(n);
      int to = rnd.nextInt(n - 1);
      if (to >= from) to++;
      return new TransferStarted(seq, from, to, 1 + rnd.nextInt(100));
    }

    /** Sends the request the pending transfer is waiting for, and arms its retry. */
    private void send(Pending p) {
      attempt++;
      if (p.seq() != stepSeq || p.debited() != stepDebited) {
        stepSeq = p.seq();
        stepDebited = p.debited();
        tries = 0;
      }
      tries++;
      if (p.debited()) {
        bank.toAccount(p.to(), new Account.Credit(name, p.seq(), p.amount(), ctx.getSelf()));
      } else {
        bank.toAccount(p.from(), new Account.Debit(name, p.seq(), p.amount(), ctx.getSelf()));
      }
      long backoff = Math.min(MAX_RETRY.toMillis(), FIRST_RETRY.toMillis() << Math.min(tries - 1, 4));
      ctx.scheduleOnce(Duration.ofMillis(backoff), ctx.getSelf(), new RetryTimeout(p.seq(), attempt));
    }

    private void next() {
      ctx.getSelf().tell(new Next());
    }
  }
}
