package dev.cairn.examples.cli;

import dev.cairn.persistence.CairnSerializable;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/** A tiny event-sourced account that writes the journals the CLI tests inspect. */
final class Account extends EventSourcedBehavior<Account.Command, Account.Deposited, Account.Balance> {
  interface Command extends CairnSerializable {}

  record Deposit(long amount, ActorRef<Long> replyTo) implements Command {}

  record GetBalance(ActorRef<Long> replyTo) implements Command {}

  /** Large deposits are tagged "large". */
  record Deposited(long amount) implements CairnSerializable {}

  record Balance(long amount) implements CairnSerializable {}

  static Behavior<Command> create(String id) {
    return new Account(PersistenceId.ofUniqueId(id), false);
  }

  /** Also deletes the events older than the two snapshots it keeps. */
  static Behavior<Command> createDeletingEvents(String id) {
    return new Account(PersistenceId.ofUniqueId(id), true);
  }

  private final boolean deleteEvents;

  private Account(PersistenceId id, boolean deleteEvents) {
    super(id);
    this.deleteEvents = deleteEvents;
  }

  @Override
  public Balance emptyState() {
    return new Balance(0);
  }

  @Override
  public CommandHandler<Command, Deposited, Balance> commandHandler() {
    return newCommandHandlerBuilder().forAnyState()
        .onCommand(Deposit.class, (s, c) -> Effect().persist(new Deposited(c.amount()))
            .thenReply(c.replyTo(), b -> b.amount()))
        .onCommand(GetBalance.class, (s, c) -> Effect().reply(c.replyTo(), s.amount()))
        .build();
  }

  @Override
  public EventHandler<Balance, Deposited> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(Deposited.class, (b, e) -> new Balance(b.amount() + e.amount()))
        .build();
  }

  @Override
  public Set<String> tagsFor(Deposited event) {
    return event.amount() >= 100 ? Set.of("large") : Set.of();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return deleteEvents
        ? RetentionCriteria.snapshotEvery(5, 2).withDeleteEventsOnSnapshot()
        : RetentionCriteria.snapshotEvery(5, 2);
  }
}
