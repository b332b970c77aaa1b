package dev.cairn.persistence.backup;

import dev.cairn.persistence.CairnSerializable;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SnapshotCountRetentionCriteria;

/** A small event-sourced actor for the backup, export and import tests. */
final class Counter extends EventSourcedBehavior<Counter.Command, Counter.Added, Counter.State> {

  interface Command extends CairnSerializable {}

  /** Adds an amount and replies with the new total. */
  record Add(int amount, ActorRef<Long> replyTo) implements Command {}

  /** Replies with the total. */
  record Get(ActorRef<Long> replyTo) implements Command {}

  /** The event; even amounts are tagged "even". */
  record Added(int amount, String note) implements CairnSerializable {}

  record State(long total, long events) implements CairnSerializable {}

  static Behavior<Command> create(String id) {
    return new Counter(PersistenceId.ofUniqueId(id));
  }

  /** A counter that snapshots every {@code snapshotEvery} events, keeping two snapshots. */
  static Behavior<Command> create(String id, int snapshotEvery) {
    return new Counter(PersistenceId.ofUniqueId(id), "", "", snapshotEvery, false);
  }

  /** Like {@link #create(String, int)}, also deleting the events older than kept snapshots. */
  static Behavior<Command> createDeletingEvents(String id, int snapshotEvery) {
    return new Counter(PersistenceId.ofUniqueId(id), "", "", snapshotEvery, true);
  }

  private final String journalPluginId;
  private final String snapshotPluginId;
  private final int snapshotEvery;
  private final boolean deleteEvents;

  private Counter(PersistenceId id) {
    this(id, "", "", 0, false);
  }

  private Counter(PersistenceId id, String journalPluginId, String snapshotPluginId,
      int snapshotEvery, boolean deleteEvents) {
    super(id);
    this.journalPluginId = journalPluginId;
    this.snapshotPluginId = snapshotPluginId;
    this.snapshotEvery = snapshotEvery;
    this.deleteEvents = deleteEvents;
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    if (snapshotEvery <= 0) return RetentionCriteria.disabled();
    SnapshotCountRetentionCriteria criteria = RetentionCriteria.snapshotEvery(snapshotEvery, 2);
    return deleteEvents ? criteria.withDeleteEventsOnSnapshot() : criteria;
  }

  @Override
  public String journalPluginId() {
    return journalPluginId;
  }

  @Override
  public String snapshotPluginId() {
    return snapshotPluginId;
  }

  @Override
  public State emptyState() {
    return new State(0, 0);
  }

  @Override
  public CommandHandler<Command, Added, State> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Add.class, (state, cmd) -> Effect()
            .persist(new Added(cmd.amount(), "add " + cmd.amount()))
            .thenReply(cmd.replyTo(), s -> s.total()))
        .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state.total()))
        .build();
  }

  @Override
  public EventHandler<State, Added> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(Added.class, (s, e) -> new State(s.total() + e.amount(), s.events() + 1))
        .build();
  }

  @Override
  public Set<String> tagsFor(Added event) {
    return event.amount() % 2 == 0 ? Set.of("even") : Set.of();
  }
}
