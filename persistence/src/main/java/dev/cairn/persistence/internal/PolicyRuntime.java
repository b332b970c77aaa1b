package dev.cairn.persistence.internal;

import dev.cairn.persistence.PolicyEvent;
import dev.cairn.persistence.RecoveryGaveUpException;
import dev.cairn.persistence.RollbackTarget;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.internal.BehaviorImpl;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.JournalProtocol;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * INTERNAL API: one per running actor. Owns what must survive Cairn's own restarts of the inner
 * Pekko behavior: the checkpoint fallback bound, the restart window, the timer, pending replies.
 *
 * <p>Pekko's {@code EventSourcedBehavior} stops on a journal failure (its default); this runtime
 * intercepts that failure and decides: an unreadable checkpoint restarts redo at once below it;
 * any other recovery or write failure restarts with backoff within the {@code RedoPolicy} limit,
 * past which the actor fails with {@link RecoveryGaveUpException} and its supervisor decides.
 */
public final class PolicyRuntime<C, E, S> {

  private static final Logger log = LoggerFactory.getLogger(PolicyRuntime.class);
  private static final Object TIMER_KEY = "cairn-checkpoint-timer";

  /** A scheduled restart of the inner behavior; {@code force} ends the wait for a replay's end. */
  private record RestartNow(int generation, boolean force) {}

  /** How long a restart waits at most for the end of a replay its failed predecessor had open. */
  private static final Duration REPLAY_END_TIMEOUT = Duration.ofSeconds(10);

  final ActorSpec<C, E, S> spec;
  final StateCodec codec;
  private final ActorContext<Object> ctx;
  private int restartGeneration;
  /**
   * The current inner behavior has received events of a replay whose end (RecoverySuccess or
   * ReplayMessagesFailure) has not arrived yet. Replies carry no request id, so a restarted inner
   * behavior would take the rest of its predecessor's replay for its own (and finish recovery
   * early, at the wrong state): a restart waits for that end first.
   */
  private boolean replayOpen;

  volatile long snapshotBound = Long.MAX_VALUE;
  /**
   * Commands delivered to the inner behavior but not handled yet (stashed during redo or while a
   * write is in flight): a restarted inner behavior gets them again, in order.
   */
  private final ArrayDeque<Object> inFlight = new ArrayDeque<>();
  int fallbacks;
  private final ArrayDeque<Long> restartTimes = new ArrayDeque<>();
  private int consecutiveRestarts;

  // checkpoint in flight
  String checkpointReason = "command";
  long checkpointStartNanos;
  long checkpointSize;
  final List<ActorRef<PolicyEvent.CheckpointOutcome>> checkpointReplies = new ArrayList<>(0);
  /** The sequence number of the newest checkpoint asked for with a reply (that of its CheckpointRequested record). */
  long checkpointRequestSeqNr;

  private PolicyRuntime(ActorSpec<C, E, S> spec, ActorContext<Object> ctx) {
    this.spec = spec;
    this.ctx = ctx;
    this.codec = new StateCodec(ctx.getSystem());
  }

  private Behavior<Object> start() {
    return Behaviors.intercept(this::interceptor, newInner());
  }

  /** The behavior of a policy-driven actor. */
  @SuppressWarnings("unchecked")
  public static <C, E, S> Behavior<C> behavior(ActorSpec<C, E, S> spec) {
    Duration every = spec.checkpointPolicy().every();
    // the timer layer costs every message a hop: only actors with a time-based checkpoint get one
    Behavior<Object> b = Behaviors.setup(ctx -> every.isZero()
        ? new PolicyRuntime<>(spec, ctx).start()
        : Behaviors.withTimers(timers -> {
          timers.startTimerWithFixedDelay(TIMER_KEY, PolicyBehavior.Internal.CHECKPOINT_TIMER, every);
          return new PolicyRuntime<>(spec, ctx).start();
        }));
    return (Behavior<C>) (Behavior<?>) b;
  }

  private Behavior<Object> newInner() {
    replayOpen = false;
    return Behaviors.setup(c -> new PolicyBehavior<>(this, c));
  }

  /** Redo of the current inner behavior succeeded. */
  void recoveryDone() {
    consecutiveRestarts = 0;
  }

  /**
   * The actor fails and its supervisor decides: commands stashed inside the Pekko behavior would
   * be dropped by a restart, so they go back to the mailbox (behind the messages already there).
   */
  private void requeueInFlight() {
    for (Object m : inFlight) ctx.getSelf().tell(m);
    inFlight.clear();
  }

  /** The inner behavior handles {@code msg} now (it is no longer waiting in a stash). */
  void handled(Object msg) {
    if (inFlight.peekFirst() == msg) inFlight.pollFirst();
    else if (!inFlight.isEmpty()) inFlight.removeFirstOccurrence(msg);
  }

  /** Commands (user and policy) are tracked; Pekko's protocol and Cairn's internal messages are not. */
  private static final ClassValue<Boolean> TRACKED = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> c) {
      return !PolicyBehavior.Internal.class.isAssignableFrom(c) && c != PolicyBehavior.Reconstructed.class
          && c != RestartNow.class && !c.getName().startsWith("org.apache.pekko.");
    }
  };

  private static boolean tracked(Object msg) {
    return TRACKED.get(msg.getClass());
  }

  /** A fresh inner behavior that first sees the messages its predecessor had not handled yet. */
  private Behavior<Object> restartedInner(List<Object> more) {
    List<Object> pending = new ArrayList<>(inFlight);
    pending.addAll(more);
    inFlight.clear();
    // delivered to the new inner behavior below, which is recovering too
    inFlight.addAll(pending);
    if (pending.isEmpty()) return newInner();
    return Behaviors.withStash(Math.max(16, pending.size()), stash -> {
      for (Object m : pending) stash.stash(m);
      return stash.unstashAll(newInner());
    });
  }

  private BehaviorInterceptor<Object, Object> interceptor() {
    return new BehaviorInterceptor<>(Object.class) {
      @Override
      public Behavior<Object> aroundReceive(TypedActorContext<Object> c, Object msg, ReceiveTarget<Object> target) {
        if (msg instanceof RestartNow r && r.generation() != restartGeneration) return Behaviors.same(); // stale timer
        if (msg instanceof JournalProtocol.ReplayedMessage) replayOpen = true;
        else if (msg instanceof JournalProtocol.RecoverySuccess || msg instanceof JournalProtocol.ReplayMessagesFailure) replayOpen = false;
        if (tracked(msg)) inFlight.addLast(msg);
        try {
          return check(target.apply(c, msg));
        } catch (RuntimeException e) {
          requeueInFlight();
          throw e;
        }
      }

      @Override
      public Behavior<Object> aroundSignal(TypedActorContext<Object> c, Signal signal, SignalTarget<Object> target) {
        return check(target.apply(c, signal));
      }

      @Override
      public Behavior<Object> aroundStart(TypedActorContext<Object> c, PreStartTarget<Object> target) {
        return check(target.start(c));
      }
    };
  }

  private Behavior<Object> check(Behavior<Object> next) {
    Object o = next;
    if (o instanceof BehaviorImpl.FailedBehavior f) return onInnerFailed(f.cause());
    return next;
  }

  /**
   * The actor stops or restarts (or its inner behavior is restarted for redo) before the
   * checkpoints waiting for a reply were saved: each requester gets {@code CheckpointFailed} now
   * instead of waiting for its ask to time out. Not published: no snapshot save failed (the save
   * may even still complete), and the stop or restart itself is reported on its own.
   */
  void failCheckpointRequests(String why) {
    if (checkpointReplies.isEmpty()) return;
    log.info("Actor '{}': {} checkpoint request(s) answered with CheckpointFailed: {}", spec.pid(),
        checkpointReplies.size(), why);
    answerCheckpointRequests(new PolicyEvent.CheckpointFailed(spec.pid(), checkpointRequestSeqNr, why));
  }

  /** Answers every TakeCheckpoint waiting for a reply with {@code outcome}, once. */
  void answerCheckpointRequests(PolicyEvent.CheckpointOutcome outcome) {
    if (checkpointReplies.isEmpty()) return;
    List<ActorRef<PolicyEvent.CheckpointOutcome>> waiting = List.copyOf(checkpointReplies);
    checkpointReplies.clear();
    for (ActorRef<PolicyEvent.CheckpointOutcome> r : waiting) r.tell(outcome);
  }

  /** The inner behavior stopped on a journal failure: fall back, restart with backoff, or give up. */
  private Behavior<Object> onInnerFailed(Throwable cause) {
    failCheckpointRequests("the actor failed before the checkpoint at sequence number " + checkpointRequestSeqNr
        + " was saved (" + rootMessage(cause) + "); it restarts (redo) or stops as its redo policy says."
        + " Nothing acknowledged is lost; ask again once it runs");
    PolicyBehavior.CheckpointUnreadable unreadable = find(cause, PolicyBehavior.CheckpointUnreadable.class);
    boolean snapshotLoadFailed = unreadable == null && cause.getMessage() != null
        && cause.getMessage().startsWith("Exception during recovery from snapshot") && snapshotBound > 0;
    if (unreadable != null || snapshotLoadFailed) {
      long below = unreadable != null ? unreadable.sequenceNr - 1 : 0;
      if (below >= snapshotBound) below = snapshotBound - 1;
      snapshotBound = Math.max(below, 0);
      fallbacks++;
      String why = unreadable != null ? unreadable.getMessage() : String.valueOf(cause.getCause());
      publish(new PolicyEvent.CheckpointFallback(spec.pid(), unreadable != null ? unreadable.sequenceNr : -1,
          snapshotBound > 0 ? Optional.of(snapshotBound) : Optional.empty(), why));
      return awaitRestart(Duration.ZERO);
    }
    long now = spec.clock().millis();
    long windowStart = now - spec.redoPolicy().within().toMillis();
    while (!restartTimes.isEmpty() && restartTimes.peekFirst() < windowStart) restartTimes.pollFirst();
    if (restartTimes.size() >= spec.redoPolicy().maxRestarts()) {
      throw new RecoveryGaveUpException(spec.pid(), -1, "Actor '" + spec.pid() + "' gave up after "
          + restartTimes.size() + " restart(s) within " + spec.redoPolicy().within() + ": " + rootMessage(cause), cause);
    }
    restartTimes.addLast(now);
    Duration base = spec.redoPolicy().backoff(consecutiveRestarts++);
    double rnd = 1.0 + ThreadLocalRandom.current().nextDouble() * spec.redoPolicy().randomFactor();
    Duration delay = Duration.ofNanos((long) (base.toNanos() * rnd));
    log.warn("Actor '{}' failed ({}); redo in {} ms (restart {}/{} within {})", spec.pid(), rootMessage(cause),
        delay.toMillis(), restartTimes.size(), spec.redoPolicy().maxRestarts(), spec.redoPolicy().within());
    return awaitRestart(delay);
  }

  /**
   * Restarts the inner behavior once {@code delay} has passed and no replay of the failed one is
   * still arriving (at most {@link #REPLAY_END_TIMEOUT} longer). Commands arriving meanwhile are
   * kept in {@code inFlight} by the interceptor and go to the new inner behavior.
   */
  private Behavior<Object> awaitRestart(Duration delay) {
    int gen = ++restartGeneration;
    boolean[] delayOver = {delay.isZero()};
    if (delayOver[0] && !replayOpen) return restartedInner(List.of());
    if (!delayOver[0]) ctx.scheduleOnce(delay, ctx.getSelf(), new RestartNow(gen, false));
    ctx.scheduleOnce(delay.plus(REPLAY_END_TIMEOUT), ctx.getSelf(), new RestartNow(gen, true));
    return Behaviors.receive(Object.class)
        .onMessage(RestartNow.class, m -> {
          delayOver[0] = true;
          if (m.force() && replayOpen) {
            log.warn("Actor '{}': the replay of the failed redo did not end within {}; redo starts anyway", spec.pid(), REPLAY_END_TIMEOUT);
            replayOpen = false;
          }
          return delayOver[0] && !replayOpen ? restartedInner(List.of()) : Behaviors.same();
        })
        // the interceptor has seen the replay's end (if this was it) before this runs
        .onAnyMessage(m -> delayOver[0] && !replayOpen ? restartedInner(List.of()) : Behaviors.same())
        .build();
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) c = c.getCause();
    return c == t ? String.valueOf(t.getMessage()) : t.getMessage() + " <- " + c;
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) if (type.isInstance(c)) return type.cast(c);
    return null;
  }

  void publish(PolicyEvent event) {
    if (event instanceof PolicyEvent.CheckpointTaken) log.debug("{}", event);
    else if (event instanceof PolicyEvent.Recovered) log.info("{}", event);
    else log.warn("{}", event);
    for (Consumer<PolicyEvent> l : spec.listeners()) {
      try {
        l.accept(event);
      } catch (RuntimeException e) {
        log.warn("Policy event listener of '{}' failed: {}", spec.pid(), e.toString());
      }
    }
    ctx.getSystem().eventStream().tell(new EventStream.Publish<>(event));
  }

  void deleteCheckpointsBelow(long seqNr) {
    if (seqNr <= 1) return;
    Persistence p = Persistence.get(Adapter.toClassic(ctx.getSystem()));
    var store = p.snapshotStoreFor(spec.snapshotPluginId(), com.typesafe.config.ConfigFactory.empty());
    store.tell(new SnapshotProtocol.DeleteSnapshots(spec.pid(), SnapshotSelectionCriteria.create(seqNr - 1, Long.MAX_VALUE)),
        DeletionAcks.of(ctx.getSystem()));
  }

  void deleteEventsTo(long seqNr) {
    if (seqNr <= 0) return;
    Persistence p = Persistence.get(Adapter.toClassic(ctx.getSystem()));
    var journal = p.journalFor(spec.journalPluginId(), com.typesafe.config.ConfigFactory.empty());
    var acks = DeletionAcks.of(ctx.getSystem());
    journal.tell(new JournalProtocol.DeleteMessagesTo(spec.pid(), seqNr, acks), acks);
  }

  CompletionStage<dev.cairn.persistence.RecoveredState<S>> reconstruct(RollbackTarget target, long currentSeqNr) {
    return Replayer.reconstruct(ctx.getSystem(), spec, target, currentSeqNr);
  }
}
