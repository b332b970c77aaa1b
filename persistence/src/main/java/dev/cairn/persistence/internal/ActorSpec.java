package dev.cairn.persistence.internal;

import dev.cairn.persistence.CheckpointPolicy;
import dev.cairn.persistence.CommandHandler;
import dev.cairn.persistence.EventHandler;
import dev.cairn.persistence.Invariant;
import dev.cairn.persistence.PoisonEventPolicy;
import dev.cairn.persistence.PolicyEvent;
import dev.cairn.persistence.RedoPolicy;
import dev.cairn.persistence.RollbackPolicy;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.persistence.typed.PersistenceId;

/** INTERNAL API: the immutable definition of a policy-driven event-sourced actor. */
public record ActorSpec<C, E, S>(
    PersistenceId persistenceId,
    S emptyState,
    CommandHandler<C, E, S> commandHandler,
    EventHandler<S, E> eventHandler,
    CheckpointPolicy checkpointPolicy,
    RedoPolicy redoPolicy,
    RollbackPolicy rollbackPolicy,
    PoisonEventPolicy poisonEventPolicy,
    List<Invariant<S>> invariants,
    String journalPluginId,
    String snapshotPluginId,
    List<Consumer<PolicyEvent>> listeners,
    Function<E, Set<String>> tagger,
    Clock clock) {

  public String pid() {
    return persistenceId.id();
  }

  /** Null when all invariants hold, else the name of the first one violated. */
  public String violatedInvariant(S state) {
    for (Invariant<S> inv : invariants) {
      boolean ok;
      try {
        ok = inv.holds(state);
      } catch (RuntimeException e) {
        ok = false;
      }
      if (!ok) return inv.name();
    }
    return null;
  }
}
