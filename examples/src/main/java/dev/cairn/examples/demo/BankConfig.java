package dev.cairn.examples.demo;

import dev.cairn.persistence.CairnSerializable;
import dev.cairn.persistence.Effect;
import dev.cairn.persistence.EventSourcedActor;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;

/**
 * The bank's shape, kept in the journal: how many accounts it has, what each opened with, and the
 * most tellers any run used. The first run records it; later runs continue with it, so no money
 * sits in an account or in a teller's pending transfer that a later run does not start. Runs are
 * counted.
 */
final class BankConfig {
  private BankConfig() {}

  static final PersistenceId PERSISTENCE_ID = PersistenceId.ofUniqueId("Bank|config");

  /** Begins a run: opens the bank with these values if it is new; replies with the stored ones. */
  record BeginRun(int accounts, long openingBalance, int tellers, ActorRef<Config> replyTo) {}

  /** The bank's shape, the tellers to start, and this run's number (1 for the first run on a journal). */
  record Config(int accounts, long openingBalance, int tellers, int run) {}

  sealed interface Event extends CairnSerializable {}

  record BankOpened(int accounts, long openingBalance) implements Event {}

  /** A run began with {@code tellers} tellers (never fewer than an earlier run). */
  record RunStarted(int run, int tellers) implements Event {}

  record State(int accounts, long openingBalance, int tellers, int runs) implements CairnSerializable {
    static final State EMPTY = new State(0, 0, 0, 0);

    State apply(Event e) {
      if (e instanceof BankOpened o) return new State(o.accounts(), o.openingBalance(), tellers, runs);
      if (e instanceof RunStarted r) return new State(accounts, openingBalance, r.tellers(), r.run());
      return this;
    }
  }

  static Behavior<BeginRun> create() {
    return EventSourcedActor.of(PERSISTENCE_ID, State.EMPTY, BankConfig::onCommand, State::apply).behavior();
  }

  private static Effect<Event, State> onCommand(State s, BeginRun b) {
    RunStarted run = new RunStarted(s.runs() + 1, Math.max(s.tellers(), b.tellers()));
    List<Event> events = s.accounts() == 0
        ? List.of(new BankOpened(b.accounts(), b.openingBalance()), run)
        : List.of(run);
    return Effect.<Event, State>persist(events)
        .thenReply(b.replyTo(), st -> new Config(st.accounts(), st.openingBalance(), st.tellers(), st.runs()));
  }
}
