package dev.cairn.persistence.internal;

import dev.cairn.persistence.CheckpointRequested;
import dev.cairn.persistence.QuarantineRecord;
import dev.cairn.persistence.RollbackMarker;
import dev.cairn.persistence.UnreadablePayload;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * INTERNAL API: the state Pekko sees: the user state plus the policy layer's bookkeeping. Mutable
 * on purpose (one instance per recovery, updated in place on the actor's thread) so the policy
 * layer allocates nothing per event.
 *
 * <p>The replay fold here is shared by live redo and by the read-only {@link Replayer}, so both
 * compute the same state from the same journal.
 */
public final class PolicyState<S> {

  /** An event that could not be deserialized or applied during replay. */
  public record Poison(long sequenceNr, String manifest, String kind, String cause) {}

  public S state;
  /** Sequence number of the last journal record applied. */
  public long seqNr;

  // checkpoints
  public final ArrayDeque<Long> checkpoints = new ArrayDeque<>();
  public long eventsSinceCheckpoint;
  public long lastCheckpointSeqNr = -1;
  public S lastCheckpointState;

  // redo
  public boolean recovering = true;
  public long eventsReplayed;
  public long snapshotSeqNr = -1;
  public String unreadableCheckpoint;
  public long unreadableCheckpointSeqNr = -1;
  public final List<Poison> poison = new ArrayList<>(0);
  public S stateBeforePoison;
  public long seqNrBeforePoison;
  public boolean trackValid;
  public S lastValid;
  public long lastValidSeqNr = -1;

  // live
  /** Non-null while a rollback is being executed: commands are stashed. */
  public PolicyBehavior.RollbackRequest rollback;
  /** Events after a failed one in the same batch are ignored until the marker. */
  public boolean ignoreUntilMarker;
  public long failureEpoch;
  public S pendingTargetState;
  public List<QuarantineRecord> quarantineToWrite;

  public PolicyState(S state) {
    this.state = state;
  }

  public boolean busy() {
    return rollback != null || quarantineToWrite != null;
  }

  /** Applies one replayed journal record (redo or read-only replay). Never throws for user errors. */
  @SuppressWarnings("unchecked")
  public <E> void applyReplayed(ActorSpec<?, E, S> spec, StateCodec codec, long sequenceNr, Object payload) {
    eventsReplayed++;
    if (payload instanceof RollbackMarker m) {
      S target;
      try {
        target = (S) codec.decode(m.stateSerializerId(), m.stateManifest(), m.state());
      } catch (Exception e) {
        addPoison(sequenceNr, RollbackMarker.class.getName(), "DESERIALIZATION", e.toString());
        seqNr = sequenceNr;
        return;
      }
      onMarker(m, target, sequenceNr);
    } else if (payload instanceof QuarantineRecord q) {
      poison.removeIf(p -> p.sequenceNr() == q.sequenceNr());
    } else if (payload instanceof UnreadablePayload u) {
      addPoison(sequenceNr, u.manifest(), "DESERIALIZATION", u.cause());
    } else if (!(payload instanceof CheckpointRequested)) {
      try {
        state = spec.eventHandler().apply(state, (E) payload);
        if (trackValid && spec.violatedInvariant(state) == null) {
          lastValid = state;
          lastValidSeqNr = sequenceNr;
        }
      } catch (RuntimeException e) {
        addPoison(sequenceNr, payload.getClass().getName(), "EVENT_HANDLER", e.toString());
      }
    }
    seqNr = sequenceNr;
  }

  /** A marker replaces the state; poison events before it no longer matter. */
  public void onMarker(RollbackMarker m, S target, long markerSeqNr) {
    state = target;
    poison.clear();
    stateBeforePoison = null;
    while (!checkpoints.isEmpty() && checkpoints.peekLast() > m.toSequenceNr()) checkpoints.pollLast();
    if (lastCheckpointSeqNr > m.toSequenceNr()) {
      lastCheckpointSeqNr = checkpoints.isEmpty() ? -1 : checkpoints.peekLast();
      lastCheckpointState = null;
    }
    lastValid = target;
    lastValidSeqNr = markerSeqNr;
    eventsSinceCheckpoint++;
  }

  private void addPoison(long sequenceNr, String manifest, String kind, String cause) {
    if (poison.isEmpty()) {
      stateBeforePoison = state;
      seqNrBeforePoison = sequenceNr - 1;
    }
    poison.add(new Poison(sequenceNr, manifest, kind, cause));
  }
}
