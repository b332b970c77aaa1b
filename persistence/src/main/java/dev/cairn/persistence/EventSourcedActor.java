package dev.cairn.persistence;

import dev.cairn.persistence.internal.ActorSpec;
import dev.cairn.persistence.internal.PolicyRuntime;
import dev.cairn.persistence.internal.Replayer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;

/**
 * An event-sourced actor (on Pekko Persistence Typed) whose fault tolerance is declared as
 * policies: {@link CheckpointPolicy}, {@link RedoPolicy}, {@link RollbackPolicy},
 * {@link PoisonEventPolicy} and {@link Invariant}s. Immutable: each {@code with*} returns a copy.
 *
 * <pre>{@code
 * Behavior<Command> account =
 *     EventSourcedActor.of(PersistenceId.of("Account", "a1"), Account.EMPTY, Account::onCommand, Account::onEvent)
 *         .withCheckpointPolicy(CheckpointPolicy.everyEvents(500).orEvery(Duration.ofSeconds(30)).keepLast(3))
 *         .withRollbackPolicy(RollbackPolicy.toLastCheckpoint().onInvariantViolation())
 *         .withInvariant("balance is never negative", s -> s.balance() >= 0)
 *         .behavior();
 * }</pre>
 *
 * <p>User events are stored unwrapped; Cairn's own records ({@link RollbackMarker},
 * {@link QuarantineRecord}, {@link CheckpointRequested}) sit beside them in the same journal. It
 * works on any Pekko journal and snapshot store plugin.
 *
 * @param <C> command type
 * @param <E> event type
 * @param <S> state type (immutable values are strongly recommended)
 */
public final class EventSourcedActor<C, E, S> {

  private final ActorSpec<C, E, S> spec;

  private EventSourcedActor(ActorSpec<C, E, S> spec) {
    this.spec = spec;
  }

  public static <C, E, S> EventSourcedActor<C, E, S> of(
      PersistenceId persistenceId, S emptyState, CommandHandler<C, E, S> commandHandler, EventHandler<S, E> eventHandler) {
    Objects.requireNonNull(persistenceId, "'persistenceId' must not be null");
    Objects.requireNonNull(emptyState, "'emptyState' must not be null");
    Objects.requireNonNull(commandHandler, "'commandHandler' must not be null");
    Objects.requireNonNull(eventHandler, "'eventHandler' must not be null");
    return new EventSourcedActor<>(new ActorSpec<>(persistenceId, emptyState, commandHandler, eventHandler,
        CheckpointPolicy.onDemand(), RedoPolicy.defaults(), RollbackPolicy.disabled(), PoisonEventPolicy.FAIL,
        List.of(), "", "", List.of(), e -> Set.of(), Clock.systemUTC()));
  }

  public EventSourcedActor<C, E, S> withCheckpointPolicy(CheckpointPolicy policy) {
    Objects.requireNonNull(policy, "'checkpointPolicy' must not be null");
    var s = spec;
    return new EventSourcedActor<>(new ActorSpec<>(s.persistenceId(), s.emptyState(), s.commandHandler(), s.eventHandler(),
        policy, s.redoPolicy(), s.rollbackPolicy(), s.poisonEventPolicy(), s.invariants(), s.journalPluginId(),
        s.snapshotPluginId(), s.listeners(), s.tagger(), s.clock()));
  }

  public EventSourcedActor<C, E, S> withRedoPolicy(RedoPolicy policy) {
    Objects.requireNonNull(policy, "'redoPolicy' must not be null");
    var s = spec;
    return new EventSourcedActor<>(new ActorSpec<>(s.persistenceId(), s.emptyState(), s.commandHandler(), s.eventHandler(),
        s.checkpointPolicy(), policy, s.rollbackPolicy(), s.poisonEventPolicy(), s.invariants(), s.journalPluginId(),
        s.snapshotPluginId(), s.listeners(), s.tagger(), s.clock()));
  }

  public EventSourcedActor<C, E, S> withRollbackPolicy(RollbackPolicy policy) {
    Objects.requireNonNull(policy, "'rollbackPolicy' must not be null");
    var s = spec;
    return new EventSourcedActor<>(new ActorSpec<>(s.persistenceId(), s.emptyState(), s.commandHandler(), s.eventHandler(),
        s.checkpointPolicy(), s.redoPolicy(), policy, s.poisonEventPolicy(), s.invariants(), s.journalPluginId(),
        s.snapshotPluginId(), s.listeners(), s.tagger(), s.clock()));
  }

  public EventSourcedActor<C, E, S> withPoisonEventPolicy(PoisonEventPolicy policy) {
    Objects.requireNonNull(policy, "'poisonEventPolicy' must not be null");
    var s = spec;
    return new EventSourcedActor<>(new ActorSpec<>(s.persistenceId(), s.emptyState(), s.commandHandler(), s.eventHandler(),
        s.checkpointPolicy(), s.redoPolicy(), s.rollbackPolicy(), policy, s.invariants(), s.journalPluginId(),
        s.snapshotPluginId(), s.listeners(), s.tagger(), s.clock()));
  }

  /** Adds an invariant, checked after every event and after recovery. */
  public EventSourcedActor<C, E, S> withInvariant(String name, Predicate<? super S> check) {
    List<Invariant<S>> all = new ArrayList<>(spec.invariants());
    all.add(Invariant.of(name, check));
    var s = spec;
    return new EventSourcedActor<>(new ActorSpec<>(s.persistenceId(), s.emptyState(), s.commandHandler(), s.eventHandler(),
        s.checkpointPolicy(), s.redoPolicy(), s.rollbackPolicy(), s.poisonEventPolicy(), List.copyOf(all),
        s.journalPluginId(), s.snapshotPluginId(), s.listeners(), s.tagger(), s.clock()));
  }

  /** Journal plugin id; empty string means Pekko's default journal. */
  public EventSourcedActor<C, E, S> withJournalPluginId(String id) {
    Objects.requireNonNull(id, "'journalPluginId' must not be null (use \"\" for the default journal)");
    var s = spec;
    return new EventSourcedActor<>(new ActorSpec<>(s.persistenceId(), s.emptyState(), s.commandHandler(), s.eventHandler(),
        s.checkpointPolicy(), s.redoPolicy(), s.rollbackPolicy(), s.poisonEventPolicy(), s.invariants(), id,
        s.snapshotPluginId(), s.listeners(), s.tagger(), s.clock()));
  }

  /** Snapshot store plugin id; empty string means Pekko's default snapshot store. */
  public EventSourcedActor<C, E, S> withSnapshotPluginId(String id) {
    Objects.requireNonNull(id, "'snapshotPluginId' must not be null (use \"\" for the default snapshot store)");
    var s = spec;
    return new EventSourcedActor<>(new ActorSpec<>(s.persistenceId(), s.emptyState(), s.commandHandler(), s.eventHandler(),
        s.checkpointPolicy(), s.redoPolicy(), s.rollbackPolicy(), s.poisonEventPolicy(), s.invariants(),
        s.journalPluginId(), id, s.listeners(), s.tagger(), s.clock()));
  }

  /** Adds a listener for {@link PolicyEvent}s; called on the actor's thread, so it must be quick. */
  public EventSourcedActor<C, E, S> withEventListener(Consumer<PolicyEvent> listener) {
    Objects.requireNonNull(listener, "'listener' must not be null");
    List<Consumer<PolicyEvent>> all = new ArrayList<>(spec.listeners());
    all.add(listener);
    var s = spec;
    return new EventSourcedActor<>(new ActorSpec<>(s.persistenceId(), s.emptyState(), s.commandHandler(), s.eventHandler(),
        s.checkpointPolicy(), s.redoPolicy(), s.rollbackPolicy(), s.poisonEventPolicy(), s.invariants(),
        s.journalPluginId(), s.snapshotPluginId(), List.copyOf(all), s.tagger(), s.clock()));
  }

  /** Tags for user events (for Persistence Query {@code eventsByTag}). */
  public EventSourcedActor<C, E, S> withTagger(Function<E, Set<String>> tagger) {
    Objects.requireNonNull(tagger, "'tagger' must not be null");
    var s = spec;
    return new EventSourcedActor<>(new ActorSpec<>(s.persistenceId(), s.emptyState(), s.commandHandler(), s.eventHandler(),
        s.checkpointPolicy(), s.redoPolicy(), s.rollbackPolicy(), s.poisonEventPolicy(), s.invariants(),
        s.journalPluginId(), s.snapshotPluginId(), s.listeners(), tagger, s.clock()));
  }

  /** Clock for timestamps in Cairn's records and restart windows (tests inject a fixed one). */
  public EventSourcedActor<C, E, S> withClock(Clock clock) {
    Objects.requireNonNull(clock, "'clock' must not be null");
    var s = spec;
    return new EventSourcedActor<>(new ActorSpec<>(s.persistenceId(), s.emptyState(), s.commandHandler(), s.eventHandler(),
        s.checkpointPolicy(), s.redoPolicy(), s.rollbackPolicy(), s.poisonEventPolicy(), s.invariants(),
        s.journalPluginId(), s.snapshotPluginId(), s.listeners(), s.tagger(), clock));
  }

  public PersistenceId persistenceId() {
    return spec.persistenceId();
  }

  public CheckpointPolicy checkpointPolicy() {
    return spec.checkpointPolicy();
  }

  public RedoPolicy redoPolicy() {
    return spec.redoPolicy();
  }

  public RollbackPolicy rollbackPolicy() {
    return spec.rollbackPolicy();
  }

  public PoisonEventPolicy poisonEventPolicy() {
    return spec.poisonEventPolicy();
  }

  /** The behavior to spawn, e.g. as a child of a Cairn supervisor. */
  public Behavior<C> behavior() {
    return PolicyRuntime.behavior(spec);
  }

  /**
   * Read-only "recover as of": computes the state at a sequence number or timestamp from the
   * journal and snapshot store, without starting the actor and without writing anything. Works
   * while the actor runs.
   */
  public CompletionStage<RecoveredState<S>> recoverAsOf(ActorSystem<?> system, AsOf asOf) {
    Objects.requireNonNull(system, "'system' must not be null");
    Objects.requireNonNull(asOf, "'asOf' must not be null");
    return Replayer.recoverAsOf(system, spec, asOf);
  }

  /**
   * Widens a reference to this actor so {@link PolicyCommand}s can be sent to it:
   * {@code EventSourcedActor.control(ref).tell(PolicyCommand.TakeCheckpoint.now())}.
   */
  @SuppressWarnings("unchecked")
  public static ActorRef<PolicyCommand> control(ActorRef<?> ref) {
    return (ActorRef<PolicyCommand>) (ActorRef<?>) ref;
  }
}
