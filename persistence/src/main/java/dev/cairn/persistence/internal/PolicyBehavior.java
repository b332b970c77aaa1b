package dev.cairn.persistence.internal;

import dev.cairn.persistence.CheckpointPolicy;
import dev.cairn.persistence.CheckpointRecord;
import dev.cairn.persistence.CheckpointRequested;
import dev.cairn.persistence.CommandFailedException;
import dev.cairn.persistence.EventHandlerFailedException;
import dev.cairn.persistence.InvariantViolatedException;
import dev.cairn.persistence.PoisonEventException;
import dev.cairn.persistence.PoisonEventPolicy;
import dev.cairn.persistence.PolicyCommand;
import dev.cairn.persistence.PolicyEvent;
import dev.cairn.persistence.QuarantineRecord;
import dev.cairn.persistence.RollbackMarker;
import dev.cairn.persistence.RollbackRefusedException;
import dev.cairn.persistence.RollbackTarget;
import dev.cairn.persistence.RollbackTrigger;
import dev.cairn.persistence.UnreadablePayload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.SnapshotCompleted;
import org.apache.pekko.persistence.typed.SnapshotFailed;
import org.apache.pekko.persistence.typed.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.Recovery;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * INTERNAL API: the Pekko {@code EventSourcedBehavior} that carries the policies. Its state is a
 * {@link PolicyState}; its events are the user's events plus Cairn's records, unwrapped.
 */
final class PolicyBehavior<C, E, S> extends EventSourcedBehavior<Object, Object, PolicyState<S>> {

  /** A rollback being executed. {@code explicitState} is set when the target state is already known. */
  record RollbackRequest(RollbackTarget target, RollbackTrigger trigger, String reason,
      Optional<ActorRef<PolicyCommand.RollbackResult>> replyTo, long explicitSeqNr, Object explicitState, long token) {}

  /** Internal messages (sent to self). */
  enum Internal { EXECUTE_ROLLBACK, WRITE_QUARANTINE, CHECKPOINT_TIMER, CHECKPOINT_AFTER_RECOVERY }

  record Reconstructed(long token, long seqNr, Object state, Throwable failure) {}

  /** Thrown to abort a redo whose checkpoint is unreadable; the runtime falls back to an older one. */
  static final class CheckpointUnreadable extends RuntimeException {
    final long sequenceNr;

    CheckpointUnreadable(long sequenceNr, String cause) {
      super("Checkpoint at sequence number " + sequenceNr + " is unreadable: " + cause, null, false, false);
      this.sequenceNr = sequenceNr;
    }
  }

  private final PolicyRuntime<C, E, S> rt;
  private final ActorSpec<C, E, S> spec;
  private final ActorContext<Object> ctx;
  private final String pid;
  private final long recoveryStartNanos = System.nanoTime();
  private long tokens;

  PolicyBehavior(PolicyRuntime<C, E, S> rt, ActorContext<Object> ctx) {
    super(rt.spec.persistenceId());
    this.rt = rt;
    this.spec = rt.spec;
    this.ctx = ctx;
    this.pid = spec.pid();
  }

  @Override
  public PolicyState<S> emptyState() {
    PolicyState<S> h = new PolicyState<>(spec.emptyState());
    h.trackValid = !spec.invariants().isEmpty()
        && spec.rollbackPolicy().target().kind() == RollbackTarget.Kind.NEWEST_VALID_STATE;
    return h;
  }

  @Override
  public String journalPluginId() {
    return spec.journalPluginId();
  }

  @Override
  public String snapshotPluginId() {
    return spec.snapshotPluginId();
  }

  @Override
  public Recovery recovery() {
    long bound = rt.snapshotBound;
    if (bound == Long.MAX_VALUE) return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.latest());
    if (bound <= 0) return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.none());
    return Recovery.withSnapshotSelectionCriteria(SnapshotSelectionCriteria.latest().withMaxSequenceNr(bound));
  }

  @Override
  @SuppressWarnings("unchecked")
  public Set<String> tagsFor(Object event) {
    if (isCairnRecord(event)) return Set.of();
    return spec.tagger().apply((E) event);
  }

  static boolean isCairnRecord(Object o) {
    return o instanceof RollbackMarker || o instanceof CheckpointRequested || o instanceof QuarantineRecord
        || o instanceof UnreadablePayload;
  }

  // ---------------------------------------------------------------- checkpoints

  @Override
  public boolean shouldSnapshot(PolicyState<S> h, Object event, long sequenceNr) {
    if (h.rollback != null || h.ignoreUntilMarker) return false;
    if (event instanceof CheckpointRequested cr) {
      rt.checkpointReason = cr.reason();
      return true;
    }
    if (isCairnRecord(event)) return false;
    CheckpointPolicy cp = spec.checkpointPolicy();
    if (cp.everyEvents() > 0 && h.eventsSinceCheckpoint >= cp.everyEvents()) {
      rt.checkpointReason = "every " + cp.everyEvents() + " events";
      return true;
    }
    if (cp.hasPredicate() && cp.testPredicate(h.state, event)) {
      rt.checkpointReason = "predicate";
      return true;
    }
    return false;
  }

  @Override
  public SnapshotAdapter<PolicyState<S>> snapshotAdapter() {
    return new SnapshotAdapter<>() {
      @Override
      public Object toJournal(PolicyState<S> h) {
        StateCodec.Encoded enc = rt.codec.encode(h.state);
        rt.checkpointStartNanos = System.nanoTime();
        rt.checkpointSize = enc.bytes().length;
        h.lastCheckpointState = h.state;
        h.eventsSinceCheckpoint = 0;
        return new CheckpointRecord(h.seqNr, spec.clock().millis(), List.copyOf(h.checkpoints),
            enc.serializerId(), enc.manifest(), enc.bytes());
      }

      @Override
      @SuppressWarnings("unchecked")
      public PolicyState<S> fromJournal(Object from) {
        PolicyState<S> h = emptyState();
        if (from instanceof CheckpointRecord r) {
          try {
            h.state = (S) rt.codec.decode(r.stateSerializerId(), r.stateManifest(), r.state());
            h.seqNr = r.sequenceNr();
            h.snapshotSeqNr = r.sequenceNr();
            h.checkpoints.addAll(r.previousCheckpoints());
            h.checkpoints.addLast(r.sequenceNr());
            while (h.checkpoints.size() > spec.checkpointPolicy().keepLast()) h.checkpoints.pollFirst();
            h.lastCheckpointSeqNr = r.sequenceNr();
            h.lastCheckpointState = h.state;
            if (spec.violatedInvariant(h.state) == null) {
              h.lastValid = h.state;
              h.lastValidSeqNr = r.sequenceNr();
            }
          } catch (Exception e) {
            h.unreadableCheckpoint = e.toString();
            h.unreadableCheckpointSeqNr = r.sequenceNr();
          }
        } else if (from instanceof UnreadablePayload u) {
          h.unreadableCheckpoint = u.cause();
        } else {
          h.unreadableCheckpoint = "not a Cairn checkpoint: " + (from == null ? "null" : from.getClass().getName());
        }
        return h;
      }
    };
  }

  private void onSnapshotCompleted(PolicyState<S> h, long seq) {
    if (h.checkpoints.isEmpty() || h.checkpoints.peekLast() != seq) h.checkpoints.addLast(seq);
    h.lastCheckpointSeqNr = seq;
    rt.snapshotBound = Long.MAX_VALUE;
    var ev = new PolicyEvent.CheckpointTaken(pid, seq, Duration.ofNanos(System.nanoTime() - rt.checkpointStartNanos),
        rt.checkpointSize, rt.checkpointReason);
    rt.publish(ev);
    rt.answerCheckpointRequests(ev);
    CheckpointPolicy cp = spec.checkpointPolicy();
    boolean trimmed = false;
    while (h.checkpoints.size() > cp.keepLast()) {
      h.checkpoints.pollFirst();
      trimmed = true;
    }
    if (trimmed) rt.deleteCheckpointsBelow(h.checkpoints.peekFirst());
    if (cp.deleteEventsCovered()) rt.deleteEventsTo(h.checkpoints.peekFirst());
  }

  // ---------------------------------------------------------------- events

  @Override
  public EventHandler<PolicyState<S>, Object> eventHandler() {
    return (h, event) -> {
      if (h.recovering) {
        if (h.unreadableCheckpoint != null) {
          long s = h.unreadableCheckpointSeqNr >= 0 ? h.unreadableCheckpointSeqNr : lastSequenceNumber(ctx) - 1;
          throw new CheckpointUnreadable(s, h.unreadableCheckpoint);
        }
        // replayed sequence numbers are contiguous: ask Pekko only for the first one
        long seq = h.eventsReplayed == 0 ? lastSequenceNumber(ctx) : h.seqNr + 1;
        h.applyReplayed(spec, rt.codec, seq, event);
      } else {
        applyLive(h, event);
      }
      return h;
    };
  }

  @SuppressWarnings("unchecked")
  private void applyLive(PolicyState<S> h, Object event) {
    long seq = ++h.seqNr;
    if (event instanceof RollbackMarker m) {
      S target = h.pendingTargetState;
      h.pendingTargetState = null;
      if (target == null) {
        try {
          target = (S) rt.codec.decode(m.stateSerializerId(), m.stateManifest(), m.state());
        } catch (Exception e) {
          throw new PoisonEventException(pid, seq, "Rollback marker at sequence number " + seq + " of '" + pid
              + "' is unreadable: " + e, e);
        }
      }
      h.onMarker(m, target, seq);
      h.ignoreUntilMarker = false;
      return;
    }
    if (isCairnRecord(event) || h.ignoreUntilMarker) return;
    S next;
    try {
      next = spec.eventHandler().apply(h.state, (E) event);
    } catch (RuntimeException ex) {
      String what = "[" + event.getClass().getName() + "] at sequence number " + seq;
      if (spec.rollbackPolicy().rollsBackOn(ex)) {
        beginFailureRollback(h, RollbackTrigger.EXCEPTION, "event handler failed on " + what + ": " + ex);
        return;
      }
      throw new EventHandlerFailedException(pid, seq, "Event handler of '" + pid + "' failed on " + what, ex);
    }
    h.state = next;
    h.eventsSinceCheckpoint++;
    if (!spec.invariants().isEmpty()) {
      String violated = spec.violatedInvariant(next);
      if (violated != null) {
        String msg = "invariant '" + violated + "' violated at sequence number " + seq;
        if (spec.rollbackPolicy().rollsBackOnInvariantViolation()) {
          beginFailureRollback(h, RollbackTrigger.INVARIANT_VIOLATION, msg);
          return;
        }
        throw new InvariantViolatedException(pid, seq, "Actor '" + pid + "': " + msg, null);
      }
    }
    h.lastValid = next;
    h.lastValidSeqNr = seq;
  }

  private void beginFailureRollback(PolicyState<S> h, RollbackTrigger trigger, String reason) {
    h.ignoreUntilMarker = true;
    h.failureEpoch++;
    h.rollback = new RollbackRequest(spec.rollbackPolicy().target(), trigger, reason, Optional.empty(), -1, null, ++tokens);
    ctx.getLog().warn("Actor '{}' rolling back to {} ({}: {})", pid, h.rollback.target(), trigger, reason);
    ctx.getSelf().tell(Internal.EXECUTE_ROLLBACK);
  }

  // ---------------------------------------------------------------- signals

  @Override
  public SignalHandler<PolicyState<S>> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::onRecoveryCompleted)
        .onSignal(SnapshotCompleted.class, (h, s) -> onSnapshotCompleted(h, s.metadata().sequenceNr()))
        .onSignal(SnapshotFailed.class, (h, s) -> {
          var ev = new PolicyEvent.CheckpointFailed(pid, s.metadata().sequenceNr(), s.getFailure().toString());
          rt.publish(ev);
          rt.answerCheckpointRequests(ev);
        })
        // a checkpoint whose save was not confirmed yet is answered, not left to time out
        .onSignal(PreRestart.class, (h, s) -> rt.failCheckpointRequests(notSaved("restarted")))
        .onSignal(PostStop.class, (h, s) -> rt.failCheckpointRequests(notSaved("stopped")))
        .build();
  }

  private String notSaved(String what) {
    return "the actor " + what + " before the checkpoint at sequence number " + rt.checkpointRequestSeqNr
        + " was confirmed saved; ask again once it runs";
  }

  private void onRecoveryCompleted(PolicyState<S> h) {
    afterRecovery(h);
    rt.recoveryDone();
  }

  private void afterRecovery(PolicyState<S> h) {
    if (h.unreadableCheckpoint != null) {
      long s = h.unreadableCheckpointSeqNr >= 0 ? h.unreadableCheckpointSeqNr : lastSequenceNumber(ctx);
      throw new CheckpointUnreadable(s, h.unreadableCheckpoint);
    }
    h.recovering = false;
    h.seqNr = Math.max(h.seqNr, lastSequenceNumber(ctx));
    h.eventsSinceCheckpoint = h.eventsReplayed;
    rt.publish(new PolicyEvent.Recovered(pid, h.snapshotSeqNr >= 0 ? Optional.of(h.snapshotSeqNr) : Optional.empty(),
        h.eventsReplayed, h.seqNr, Duration.ofNanos(System.nanoTime() - recoveryStartNanos), rt.fallbacks));

    if (!h.poison.isEmpty()) {
      PolicyState.Poison first = h.poison.get(0);
      String what = "Poison event at sequence number " + first.sequenceNr() + " of '" + pid + "' (" + first.manifest()
          + ", " + first.kind() + ": " + first.cause() + ")";
      switch (spec.poisonEventPolicy()) {
        case FAIL -> throw new PoisonEventException(pid, first.sequenceNr(), what
            + "; PoisonEventPolicy is FAIL. Use SKIP_AND_QUARANTINE or ROLLBACK_TO_BEFORE, or repair the journal.", null);
        case SKIP_AND_QUARANTINE -> {
          List<QuarantineRecord> records = new ArrayList<>();
          long now = spec.clock().millis();
          for (PolicyState.Poison p : h.poison)
            records.add(new QuarantineRecord(pid, p.sequenceNr(), p.manifest(), p.kind(), p.cause(), now));
          h.poison.clear();
          h.quarantineToWrite = records;
          ctx.getLog().warn("Actor '{}' skipped {} poison event(s), first: {}", pid, records.size(), what);
          ctx.getSelf().tell(Internal.WRITE_QUARANTINE);
        }
        case ROLLBACK_TO_BEFORE -> {
          long before = h.seqNrBeforePoison;
          h.rollback = new RollbackRequest(RollbackTarget.sequenceNr(before), RollbackTrigger.POISON_EVENT, what,
              Optional.empty(), before, h.stateBeforePoison, ++tokens);
          h.poison.clear();
          ctx.getSelf().tell(Internal.EXECUTE_ROLLBACK);
          return;
        }
      }
    }
    String violated = spec.violatedInvariant(h.state);
    if (violated != null) {
      String msg = "invariant '" + violated + "' violated after recovery at sequence number " + h.seqNr;
      if (!spec.rollbackPolicy().rollsBackOnInvariantViolation())
        throw new InvariantViolatedException(pid, h.seqNr, "Actor '" + pid + "': " + msg, null);
      if (h.rollback == null) {
        h.rollback = new RollbackRequest(spec.rollbackPolicy().target(), RollbackTrigger.INVARIANT_VIOLATION, msg,
            Optional.empty(), -1, null, ++tokens);
        ctx.getSelf().tell(Internal.EXECUTE_ROLLBACK);
      }
      return;
    }
    long over = spec.checkpointPolicy().afterRecoveryOver();
    if (over > 0 && h.eventsReplayed > over) ctx.getSelf().tell(Internal.CHECKPOINT_AFTER_RECOVERY);
  }

  // ---------------------------------------------------------------- commands

  @Override
  public CommandHandler<Object, Object, PolicyState<S>> commandHandler() {
    return this::onCommand;
  }

  @SuppressWarnings("unchecked")
  private org.apache.pekko.persistence.typed.javadsl.Effect<Object, PolicyState<S>> onCommand(PolicyState<S> h, Object msg) {
    if (msg instanceof Internal i) return onInternal(h, i);
    if (msg instanceof Reconstructed r) return onReconstructed(h, r);
    if (h.busy()) return Effect().stash();
    rt.handled(msg);
    if (msg instanceof PolicyCommand pc) return onPolicyCommand(h, pc);
    return onUserCommand(h, (C) msg);
  }

  @SuppressWarnings("unchecked")
  private org.apache.pekko.persistence.typed.javadsl.Effect<Object, PolicyState<S>> onUserCommand(PolicyState<S> h, C cmd) {
    dev.cairn.persistence.Effect<E, S> eff;
    try {
      eff = spec.commandHandler().apply(h.state, cmd);
    } catch (RuntimeException e) {
      throw new CommandFailedException(pid, h.seqNr, "Command [" + cmd.getClass().getName() + "] of '" + pid
          + "' failed at sequence number " + h.seqNr + "; nothing was persisted", e);
    }
    if (eff == null)
      throw new CommandFailedException(pid, h.seqNr, "Command handler of '" + pid + "' returned no Effect for ["
          + cmd.getClass().getName() + "]", null);
    EffectBuilder<Object, PolicyState<S>> b = switch (eff.kind()) {
      case PERSIST -> eff.events().size() == 1
          ? Effect().persist(eff.events().get(0))
          : Effect().persist((List<Object>) eff.events());
      case NONE -> Effect().none();
      case UNHANDLED -> Effect().unhandled();
      case STOP -> Effect().stop();
    };
    var sideEffects = eff.sideEffects();
    if (!sideEffects.isEmpty()) {
      long epoch = h.failureEpoch;
      b = b.thenRun(st -> {
        if (st.failureEpoch == epoch) for (var se : sideEffects) se.accept(st.state);
      });
    }
    if (eff.stopAfter()) b = b.thenStop();
    return b;
  }

  private org.apache.pekko.persistence.typed.javadsl.Effect<Object, PolicyState<S>> onPolicyCommand(
      PolicyState<S> h, PolicyCommand pc) {
    if (pc instanceof PolicyCommand.TakeCheckpoint t) {
      if (t.replyTo().isEmpty() && (h.seqNr == 0 || (h.eventsSinceCheckpoint == 0 && h.lastCheckpointSeqNr == h.seqNr)))
        return Effect().none();
      if (t.replyTo().isPresent()) {
        rt.checkpointReplies.add(t.replyTo().get());
        rt.checkpointRequestSeqNr = h.seqNr + 1;
      }
      return Effect().persist(new CheckpointRequested("command", spec.clock().millis()));
    }
    PolicyCommand.RollBack r = (PolicyCommand.RollBack) pc;
    h.rollback = new RollbackRequest(r.target(), RollbackTrigger.COMMAND, r.reason(), r.replyTo(), -1, null, ++tokens);
    return executeRollback(h, h.rollback);
  }

  private org.apache.pekko.persistence.typed.javadsl.Effect<Object, PolicyState<S>> onInternal(PolicyState<S> h, Internal i) {
    switch (i) {
      case EXECUTE_ROLLBACK:
        return h.rollback == null ? Effect().none() : executeRollback(h, h.rollback);
      case WRITE_QUARANTINE: {
        List<QuarantineRecord> records = h.quarantineToWrite;
        if (records == null) return Effect().none();
        return Effect().persist(new ArrayList<Object>(records)).thenRun(st -> {
          st.quarantineToWrite = null;
          for (QuarantineRecord q : records) rt.publish(new PolicyEvent.EventQuarantined(pid, q));
        }).thenUnstashAll();
      }
      case CHECKPOINT_TIMER:
        if (h.busy() || h.eventsSinceCheckpoint == 0) return Effect().none();
        return Effect().persist(new CheckpointRequested("timer", spec.clock().millis()));
      case CHECKPOINT_AFTER_RECOVERY:
        if (h.busy()) return Effect().stash();
        return Effect().persist(new CheckpointRequested("recovery", spec.clock().millis()));
      default:
        return Effect().unhandled();
    }
  }

  // ---------------------------------------------------------------- rollback

  private record Resolved<S>(long seqNr, S state) {}

  private org.apache.pekko.persistence.typed.javadsl.Effect<Object, PolicyState<S>> executeRollback(
      PolicyState<S> h, RollbackRequest req) {
    final Resolved<S> sync;
    try {
      sync = resolveInMemory(h, req);
    } catch (RollbackRefusedException e) {
      return refuse(h, req, e);
    }
    if (sync != null) return persistMarker(h, req, sync.seqNr(), sync.state());
    long token = req.token();
    ctx.pipeToSelf(rt.reconstruct(toReplayTarget(h, req), h.seqNr),
        (res, err) -> err != null ? new Reconstructed(token, -1, null, err)
            : new Reconstructed(token, res.sequenceNr(), res.state(), null));
    return Effect().none();
  }

  /** Seq-nr/timestamp/newest-valid target for the read-only replayer. */
  private RollbackTarget toReplayTarget(PolicyState<S> h, RollbackRequest req) {
    RollbackTarget t = req.target();
    if (t.kind() == RollbackTarget.Kind.LAST_CHECKPOINT || t.kind() == RollbackTarget.Kind.CHECKPOINTS_BACK)
      return RollbackTarget.sequenceNr(checkpointSeqNr(h, t));
    return t;
  }

  private long checkpointSeqNr(PolicyState<S> h, RollbackTarget t) {
    int n = t.kind() == RollbackTarget.Kind.LAST_CHECKPOINT ? 1 : (int) t.value();
    List<Long> cps = new ArrayList<>(h.checkpoints);
    if (cps.isEmpty() && n == 1) return 0;
    if (n > cps.size())
      throw new RollbackRefusedException(pid, h.seqNr, "Rollback of '" + pid + "' to " + t + " refused: only "
          + cps.size() + " checkpoint(s) retained " + cps + "; nothing was changed", null);
    return cps.get(cps.size() - n);
  }

  @SuppressWarnings("unchecked")
  private Resolved<S> resolveInMemory(PolicyState<S> h, RollbackRequest req) {
    if (req.explicitState() != null || req.explicitSeqNr() == 0) {
      S st = req.explicitState() != null ? (S) req.explicitState() : spec.emptyState();
      return new Resolved<>(req.explicitSeqNr(), st);
    }
    RollbackTarget t = req.target();
    switch (t.kind()) {
      case LAST_CHECKPOINT, CHECKPOINTS_BACK -> {
        long seq = checkpointSeqNr(h, t);
        if (seq == 0) return new Resolved<>(0, spec.emptyState());
        if (seq == h.lastCheckpointSeqNr && h.lastCheckpointState != null) return new Resolved<>(seq, h.lastCheckpointState);
        return null;
      }
      case SEQUENCE_NR -> {
        if (t.value() > h.seqNr)
          throw new RollbackRefusedException(pid, h.seqNr, "Rollback of '" + pid + "' to " + t
              + " refused: it is beyond the current sequence number " + h.seqNr + "; nothing was changed", null);
        if (t.value() == 0) return new Resolved<>(0, spec.emptyState());
        if (t.value() == h.lastCheckpointSeqNr && h.lastCheckpointState != null)
          return new Resolved<>(t.value(), h.lastCheckpointState);
        return null;
      }
      case NEWEST_VALID_STATE -> {
        if (h.lastValidSeqNr >= 0 && h.lastValid != null) return new Resolved<>(h.lastValidSeqNr, h.lastValid);
        return null;
      }
      default -> {
        return null;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private org.apache.pekko.persistence.typed.javadsl.Effect<Object, PolicyState<S>> onReconstructed(
      PolicyState<S> h, Reconstructed r) {
    if (h.rollback == null || h.rollback.token() != r.token()) return Effect().none();
    if (r.failure() != null) {
      Throwable f = r.failure() instanceof java.util.concurrent.CompletionException ce && ce.getCause() != null
          ? ce.getCause() : r.failure();
      RollbackRefusedException e = f instanceof RollbackRefusedException rre ? rre
          : new RollbackRefusedException(pid, h.seqNr, "Rollback of '" + pid + "' to " + h.rollback.target()
              + " refused: the target state could not be reconstructed (" + f + "); nothing was changed", f);
      return refuse(h, h.rollback, e);
    }
    return persistMarker(h, h.rollback, r.seqNr(), (S) r.state());
  }

  private org.apache.pekko.persistence.typed.javadsl.Effect<Object, PolicyState<S>> persistMarker(
      PolicyState<S> h, RollbackRequest req, long toSeqNr, S target) {
    StateCodec.Encoded enc;
    try {
      enc = rt.codec.encode(target);
    } catch (RuntimeException e) {
      return refuse(h, req, new RollbackRefusedException(pid, h.seqNr, "Rollback of '" + pid + "' to " + req.target()
          + " refused: the target state cannot be serialized (" + e + "); nothing was changed", e));
    }
    long from = h.seqNr;
    RollbackMarker marker = new RollbackMarker(from, toSeqNr, from - toSeqNr, req.trigger().name(), req.reason(),
        spec.clock().millis(), enc.serializerId(), enc.manifest(), enc.bytes());
    h.pendingTargetState = target;
    return Effect().persist(marker).thenRun(st -> {
      var ev = new PolicyEvent.RolledBack(pid, from, toSeqNr, from - toSeqNr, req.trigger(), req.reason(), st.seqNr);
      st.rollback = null;
      rt.publish(ev);
      req.replyTo().ifPresent(r -> r.tell(new PolicyCommand.RollbackDone(ev)));
    }).thenUnstashAll();
  }

  private org.apache.pekko.persistence.typed.javadsl.Effect<Object, PolicyState<S>> refuse(
      PolicyState<S> h, RollbackRequest req, RollbackRefusedException e) {
    h.rollback = null;
    rt.publish(new PolicyEvent.RollbackWasRefused(pid, req.target(), e.getMessage()));
    if (req.trigger() != RollbackTrigger.COMMAND) {
      // a failure-triggered rollback that cannot happen leaves the actor in a bad state: fail it
      throw new RollbackRefusedException(pid, h.seqNr, "Actor '" + pid + "' cannot recover from " + req.trigger()
          + " (" + req.reason() + "): " + e.getMessage(), e);
    }
    req.replyTo().ifPresent(r -> r.tell(new PolicyCommand.RollbackRefused(e)));
    return Effect().unstashAll();
  }
}
