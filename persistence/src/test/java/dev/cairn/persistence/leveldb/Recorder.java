package dev.cairn.persistence.leveldb;

import dev.cairn.persistence.CairnSerializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Test actor: records strings as {@link TestEvent}s, tags them "all" plus "even"/"odd", takes
 * a snapshot every {@code snapshotEvery} events, and reports recovery outcome to a probe.
 */
final class Recorder extends EventSourcedBehavior<Recorder.Command, TestEvent, Recorder.State> {
  interface Command {}

  record Add(String text, ActorRef<Done> replyTo) implements Command {}

  record Get(ActorRef<List<String>> replyTo) implements Command {}

  record State(List<String> items) implements CairnSerializable {}

  /** What the recovery reported. */
  record Recovered(List<String> items) {}

  private final ActorRef<Object> monitor;
  private final int snapshotEvery;

  private Recorder(PersistenceId id, ActorRef<Object> monitor, int snapshotEvery) {
    super(id);
    this.monitor = monitor;
    this.snapshotEvery = snapshotEvery;
  }

  static Behavior<Command> create(String id, ActorRef<Object> monitor, int snapshotEvery) {
    return new Recorder(PersistenceId.ofUniqueId(id), monitor, snapshotEvery);
  }

  @Override
  public State emptyState() {
    return new State(List.of());
  }

  @Override
  public CommandHandler<Command, TestEvent, State> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Add.class, (s, c) -> Effect().persist(new TestEvent(c.text(), s.items().size() + 1)).thenReply(c.replyTo(), x -> Done.getInstance()))
        .onCommand(Get.class, (s, c) -> Effect().reply(c.replyTo(), s.items()))
        .build();
  }

  @Override
  public EventHandler<State, TestEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent((s, e) -> {
      List<String> items = new ArrayList<>(s.items());
      items.add(e.text());
      return new State(List.copyOf(items));
    });
  }

  @Override
  public Set<String> tagsFor(TestEvent event) {
    return Set.of("all", event.number() % 2 == 0 ? "even" : "odd");
  }

  @Override
  public boolean shouldSnapshot(State state, TestEvent event, long sequenceNr) {
    return snapshotEvery > 0 && sequenceNr % snapshotEvery == 0;
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> monitor.tell(new Recovered(s.items())))
        .onSignal(RecoveryFailed.class, (s, sig) -> monitor.tell(sig.getFailure()))
        .build();
  }
}
