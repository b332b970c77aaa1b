package dev.cairn.persistence.internal;

import dev.cairn.persistence.AsOf;
import dev.cairn.persistence.CheckpointRecord;
import dev.cairn.persistence.PoisonEventException;
import dev.cairn.persistence.QuarantineRecord;
import dev.cairn.persistence.RecoveredState;
import dev.cairn.persistence.RollbackRefusedException;
import dev.cairn.persistence.RollbackTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;

/**
 * INTERNAL API: read-only replay of one persistence id straight from the journal and snapshot
 * store plugins (through Pekko's plugin protocol, so it works with any plugin and sees the
 * journal's write timestamps). Used for "recover as of", for reconstructing rollback targets and
 * for reading quarantine records. Never writes.
 */
public final class Replayer {

  private Replayer() {}

  /** Receives what a replay reads. */
  interface Visitor {
    /** Returns false when the checkpoint is unreadable, so an older one is tried. */
    boolean offerCheckpoint(long seqNr, Object snapshot);

    void event(long seqNr, long timestampMillis, Object payload);
  }

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** Replays {@code pid} up to {@code toSeqNr}; completes with the journal's highest sequence number. */
  static CompletionStage<Long> replay(ActorSystem<?> system, String pid, String journalId, String snapshotId,
      long toSeqNr, long maxTimestamp, boolean useCheckpoints, Visitor visitor) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    Behavior<Object> session = Behaviors.setup(ctx -> {
      var self = Adapter.toClassic(ctx.getSelf());
      Persistence p = Persistence.get(Adapter.toClassic(system));
      var cfg = com.typesafe.config.ConfigFactory.empty();
      var journal = p.journalFor(journalId, cfg);
      var timeout = ctx.scheduleOnce(TIMEOUT, ctx.getSelf(), "timeout");
      Runnable[] replayFrom = new Runnable[1];
      long[] from = {1};
      replayFrom[0] = () -> journal.tell(
          new JournalProtocol.ReplayMessages(from[0], toSeqNr, Long.MAX_VALUE, pid, self), self);
      if (useCheckpoints) {
        var store = p.snapshotStoreFor(snapshotId, cfg);
        store.tell(new SnapshotProtocol.LoadSnapshot(pid, SnapshotSelectionCriteria.create(toSeqNr, maxTimestamp), toSeqNr), self);
      } else {
        replayFrom[0].run();
      }
      return Behaviors.receive(Object.class)
          .onMessage(SnapshotProtocol.LoadSnapshotResult.class, r -> {
            if (r.snapshot().isDefined()) {
              SelectedSnapshot s = r.snapshot().get();
              long seq = s.metadata().sequenceNr();
              boolean readable;
              try {
                readable = visitor.offerCheckpoint(seq, s.snapshot());
              } catch (RuntimeException e) {
                readable = false;
              }
              if (readable) {
                from[0] = seq + 1;
              } else if (seq > 1) {
                p.snapshotStoreFor(snapshotId, cfg).tell(new SnapshotProtocol.LoadSnapshot(pid,
                    SnapshotSelectionCriteria.create(seq - 1, maxTimestamp), toSeqNr), self);
                return Behaviors.same();
              }
            }
            replayFrom[0].run();
            return Behaviors.same();
          })
          .onMessage(SnapshotProtocol.LoadSnapshotFailed.class, r -> {
            replayFrom[0].run();
            return Behaviors.same();
          })
          .onMessage(JournalProtocol.ReplayedMessage.class, r -> {
            PersistentRepr repr = r.persistent();
            try {
              visitor.event(repr.sequenceNr(), repr.timestamp(), repr.payload());
            } catch (RuntimeException e) {
              // a replay that cannot go on must still complete, never hang
              timeout.cancel();
              done.completeExceptionally(e);
              return Behaviors.stopped();
            }
            return Behaviors.same();
          })
          .onMessage(JournalProtocol.RecoverySuccess.class, r -> {
            timeout.cancel();
            done.complete(r.highestSequenceNr());
            return Behaviors.stopped();
          })
          .onMessage(JournalProtocol.ReplayMessagesFailure.class, r -> {
            timeout.cancel();
            done.completeExceptionally(r.cause());
            return Behaviors.stopped();
          })
          .onMessageEquals("timeout", () -> {
            done.completeExceptionally(new java.util.concurrent.TimeoutException(
                "Replay of '" + pid + "' did not finish within " + TIMEOUT));
            return Behaviors.stopped();
          })
          .build();
    });
    system.systemActorOf(session, "cairn-replay-" + UUID.randomUUID(), Props.empty());
    return done;
  }

  /** Folds the journal into a state, as redo does, without touching the actor. */
  static final class Fold<S> implements Visitor {
    final ActorSpec<?, ?, S> spec;
    final StateCodec codec;
    final long maxTimestamp;
    PolicyState<S> h;
    long checkpointUsed = -1;
    long expected = 1;
    long lastCounted;
    boolean timeReached;
    String gap;

    Fold(ActorSpec<?, ?, S> spec, StateCodec codec, long maxTimestamp, boolean trackValid) {
      this.spec = spec;
      this.codec = codec;
      this.maxTimestamp = maxTimestamp;
      this.h = newState(spec.emptyState(), trackValid);
      if (trackValid && spec.violatedInvariant(h.state) == null) {
        h.lastValid = h.state;
        h.lastValidSeqNr = 0;
      }
    }

    private PolicyState<S> newState(S s, boolean trackValid) {
      PolicyState<S> st = new PolicyState<>(s);
      st.trackValid = trackValid;
      return st;
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean offerCheckpoint(long seqNr, Object snapshot) {
      if (!(snapshot instanceof CheckpointRecord r)) return false;
      try {
        S s = (S) codec.decode(r.stateSerializerId(), r.stateManifest(), r.state());
        PolicyState<S> st = newState(s, h.trackValid);
        st.seqNr = seqNr;
        if (h.trackValid && spec.violatedInvariant(s) == null) {
          st.lastValid = s;
          st.lastValidSeqNr = seqNr;
        }
        h = st;
        checkpointUsed = seqNr;
        expected = seqNr + 1;
        lastCounted = seqNr;
        return true;
      } catch (Exception e) {
        return false;
      }
    }

    @Override
    public void event(long seqNr, long timestampMillis, Object payload) {
      if (timeReached || timestampMillis > maxTimestamp) {
        timeReached = true;
        return;
      }
      if (seqNr != expected && gap == null)
        gap = "events " + expected + " to " + (seqNr - 1) + " are no longer in the journal";
      expected = seqNr + 1;
      h.applyReplayed(spec, codec, seqNr, payload);
      lastCounted = seqNr;
    }
  }

  public static <C, E, S> CompletionStage<RecoveredState<S>> recoverAsOf(ActorSystem<?> system, ActorSpec<C, E, S> spec,
      AsOf asOf) {
    long start = System.nanoTime();
    Fold<S> fold = new Fold<>(spec, new StateCodec(system), asOf.timestampMillis(), false);
    return replay(system, spec.pid(), spec.journalPluginId(), spec.snapshotPluginId(), asOf.sequenceNr(),
        asOf.timestampMillis(), true, fold)
        .thenApply(highest -> result(spec, fold, start, false));
  }

  /** State at a rollback target, or a {@link RollbackRefusedException}. */
  static <C, E, S> CompletionStage<RecoveredState<S>> reconstruct(ActorSystem<?> system, ActorSpec<C, E, S> spec,
      RollbackTarget target, long currentSeqNr) {
    long start = System.nanoTime();
    boolean newestValid = target.kind() == RollbackTarget.Kind.NEWEST_VALID_STATE;
    long to = target.kind() == RollbackTarget.Kind.SEQUENCE_NR ? target.value() : currentSeqNr;
    long maxTs = target.kind() == RollbackTarget.Kind.TIMESTAMP ? target.value() : Long.MAX_VALUE;
    Fold<S> fold = new Fold<>(spec, new StateCodec(system), maxTs, newestValid);
    return replay(system, spec.pid(), spec.journalPluginId(), spec.snapshotPluginId(), to, maxTs, true, fold)
        .thenApply(highest -> {
          String refused = null;
          if (fold.gap != null) refused = fold.gap + " and no readable checkpoint covers them";
          else if (target.kind() == RollbackTarget.Kind.SEQUENCE_NR && fold.lastCounted < to)
            refused = "the journal ends at sequence number " + fold.lastCounted;
          if (refused != null)
            throw new RollbackRefusedException(spec.pid(), currentSeqNr, "Rollback of '" + spec.pid() + "' to " + target
                + " refused: cannot reconstruct the state: " + refused + "; nothing was changed", null);
          RecoveredState<S> r = result(spec, fold, start, newestValid);
          if (newestValid && fold.h.lastValidSeqNr < 0)
            throw new RollbackRefusedException(spec.pid(), currentSeqNr, "Rollback of '" + spec.pid()
                + "' refused: no state satisfying the invariants was found; nothing was changed", null);
          return r;
        });
  }

  private static <S> RecoveredState<S> result(ActorSpec<?, ?, S> spec, Fold<S> fold, long start, boolean newestValid) {
    PolicyState<S> h = fold.h;
    List<Long> skipped = new ArrayList<>();
    S state = h.state;
    long seq = fold.lastCounted;
    if (!h.poison.isEmpty()) {
      PolicyState.Poison first = h.poison.get(0);
      switch (spec.poisonEventPolicy()) {
        case FAIL -> throw new PoisonEventException(spec.pid(), first.sequenceNr(), "Poison event at sequence number "
            + first.sequenceNr() + " of '" + spec.pid() + "' (" + first.manifest() + ", " + first.kind() + ": "
            + first.cause() + "); PoisonEventPolicy is FAIL", null);
        case SKIP_AND_QUARANTINE -> h.poison.forEach(p -> skipped.add(p.sequenceNr()));
        case ROLLBACK_TO_BEFORE -> {
          state = h.stateBeforePoison;
          seq = h.seqNrBeforePoison;
        }
      }
    }
    if (newestValid) {
      state = h.lastValid;
      seq = h.lastValidSeqNr;
    }
    return new RecoveredState<>(state, seq, fold.checkpointUsed >= 0 ? Optional.of(fold.checkpointUsed) : Optional.empty(),
        h.eventsReplayed, List.copyOf(skipped), Duration.ofNanos(System.nanoTime() - start));
  }

  /** All quarantine records of {@code pid}, read from the journal (any plugin). */
  public static CompletionStage<List<QuarantineRecord>> quarantineRecords(ActorSystem<?> system, String journalPluginId,
      String pid) {
    List<QuarantineRecord> found = new ArrayList<>();
    Visitor v = new Visitor() {
      @Override
      public boolean offerCheckpoint(long seqNr, Object snapshot) {
        return false;
      }

      @Override
      public void event(long seqNr, long ts, Object payload) {
        if (payload instanceof QuarantineRecord q) found.add(q);
      }
    };
    return replay(system, pid, journalPluginId, "", Long.MAX_VALUE, Long.MAX_VALUE, false, v)
        .thenApply(h -> List.copyOf(found));
  }
}
