package dev.cairn.supervision.internal;

import dev.cairn.supervision.AutoShutdown;
import dev.cairn.supervision.ChildHungException;
import dev.cairn.supervision.ChildSpec;
import dev.cairn.supervision.ChildStartFailedException;
import dev.cairn.supervision.FailureRecord;
import dev.cairn.supervision.InvalidSpecException;
import dev.cairn.supervision.RestartIntensityExceededException;
import dev.cairn.supervision.RestartStrategy;
import dev.cairn.supervision.RestartType;
import dev.cairn.supervision.SupervisionEvent;
import dev.cairn.supervision.SupervisionEvent.StopReason;
import dev.cairn.supervision.SupervisionListener;
import dev.cairn.supervision.Supervisor;
import dev.cairn.supervision.Supervisor.ChildOpResult;
import dev.cairn.supervision.Supervisor.Command;
import dev.cairn.supervision.Supervisor.Outcome;
import dev.cairn.supervision.SupervisorSpec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The supervisor actor. All state is confined to the actor; only the intensity window and each incarnation's
 * failure context are shared with children (see {@link ChildShell}).
 *
 * <p>Operations that wait for children (ordered start, reverse-order stop) make the supervisor busy; dynamic-child
 * commands and restarts arriving meanwhile are deferred and run in arrival order when it is idle again.
 */
public final class SupervisorActor {
  private static final int MAX_BUFFERED_PER_CHILD = 1000;

  /** Who to acknowledge a child supervisor's completed start to. */
  record StartAck(ActorRef<Command> parent, Incarnation cell) {}

  static final class Child {
    final ChildSpec<?> spec;
    ActorRef<Object> ref;
    Incarnation cell;
    int restartCount;
    boolean awaitingPong;
    boolean forced;
    Object shutdownTimerKey;
    /**
     * Chosen for a group restart that has not spawned it again yet: from that decision on, messages sent to it by id
     * are buffered (even while its old incarnation still runs or is stopping) and go to the new incarnation.
     */
    boolean restarting;
    final ArrayDeque<Object> buffered = new ArrayDeque<>();

    Child(ChildSpec<?> spec) {
      this.spec = spec;
    }

    String id() {
      return spec.id();
    }
  }

  private final SupervisorSpec spec;
  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final StartAck ack;
  private final Logger log;
  private final String name;
  private final Intensity intensity;
  private final LinkedHashMap<String, Child> children = new LinkedHashMap<>();
  private final Map<ActorRef<?>, Child> byRef = new HashMap<>();
  private final ArrayDeque<FailureRecord> history = new ArrayDeque<>();
  private final ArrayDeque<Runnable> deferred = new ArrayDeque<>();
  private final List<ActorRef<SupervisionEvent>> subscribers = new ArrayList<>();
  private long spawnCounter;
  private boolean busy;
  private boolean terminating;
  private boolean stopSelf;
  private Child awaitingStart;
  private Runnable onStarted;
  private BiConsumer<Child, Throwable> onStartFailed;
  private Child awaitingStop;
  private Runnable onStopped;

  public static Behavior<Command> create(SupervisorSpec spec, StartAck ack) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new SupervisorActor(spec, ctx, timers, ack).start()));
  }

  private SupervisorActor(SupervisorSpec spec, ActorContext<Command> ctx, TimerScheduler<Command> timers, StartAck ack) {
    this.spec = spec;
    this.ctx = ctx;
    this.timers = timers;
    this.ack = ack;
    this.log = ctx.getLog();
    this.name = spec.name();
    this.intensity = new Intensity(spec.maxRestarts(), spec.period(), spec.clock());
  }

  // ---------------------------------------------------------------- start

  private Behavior<Command> start() {
    for (ChildSpec<?> c : spec.children()) {
      children.put(c.id(), new Child(c));
    }
    busy = true;
    startInOrder(new ArrayList<>(children.values()).iterator(), () -> {
      if (ack != null) {
        ack.cell().startCompleted = true;
        ack.parent().tell(new Internal.ChildUp(ack.cell()));
      }
      idle();
    }, (failed, cause) -> {
      children.remove(failed.id());
      giveUp(null, new ChildStartFailedException(name, failed.id(), cause));
    });
    return Behaviors.receive(Command.class)
        .onMessage(Command.class, this::onCommand)
        .onSignal(Terminated.class, this::onTerminated)
        .build();
  }

  private void startInOrder(Iterator<Child> it, Runnable done, BiConsumer<Child, Throwable> failed) {
    if (!it.hasNext()) {
      done.run();
      return;
    }
    Child c = it.next();
    awaitingStart = c;
    onStartFailed = failed;
    spawn(c, true);
    ActorRef<Object> ref = c.ref;
    onStarted = () -> {
      publish(new SupervisionEvent.ChildStarted(name, c.id(), ref, now()));
      startInOrder(it, done, failed);
    };
  }

  @SuppressWarnings("unchecked")
  private void spawn(Child c, boolean ackOnStart) {
    ChildSpec<?> cs = c.spec;
    // a child supervisor acknowledges its start itself, once its own children have started in order
    final Incarnation cell = new Incarnation(c.id(), ctx.getSelf(), ackOnStart && !cs.isSupervisor(), cs.isSupervisor());
    // a setup around the factory, so that a restart in place calls the factory again and never reuses a behavior
    // instance (an AbstractBehavior keeps its state in the instance)
    Behavior<Object> inner = Behaviors.setup(childCtx -> {
      Behavior<?> made = cs.isSupervisor()
          ? create(cs.supervisorSpec().orElseThrow(), new StartAck(ctx.getSelf(), cell))
          : cs.factory().orElseThrow().get();
      return cs.failurePolicy().applyTo((Behavior<Object>) made);
    });
    boolean inPlace = spec.strategy() == RestartStrategy.ONE_FOR_ONE && cs.restartType() != RestartType.TEMPORARY;
    Behavior<Object> wrapped = ChildShell.wrap(inner, cell, inPlace, intensity, spec.redactor(), spec.clock());
    ActorRef<Object> ref = ctx.spawn(wrapped, c.id() + "-" + (spawnCounter++), cs.props());
    ctx.watch(ref);
    c.ref = ref;
    c.cell = cell;
    c.awaitingPong = false;
    c.forced = false;
    byRef.put(ref, c);
    c.restarting = false;
    cs.livenessDeadline().ifPresent(d -> timers.startTimerWithFixedDelay(probeKey(cell), new Internal.ProbeTick(cell), d));
    while (!c.buffered.isEmpty()) {
      ref.tell(c.buffered.pollFirst());
    }
  }

  private static Object probeKey(Incarnation cell) {
    return List.of("probe", cell);
  }

  // ---------------------------------------------------------------- messages

  private Behavior<Command> onCommand(Command cmd) {
    if (cmd instanceof Internal.ChildUp u) {
      if (awaitingStart != null && awaitingStart.cell == u.cell()) {
        awaitingStart = null;
        onStartFailed = null;
        Runnable r = onStarted;
        onStarted = null;
        r.run();
      }
    } else if (cmd instanceof Internal.Pong p) {
      Child c = children.get(p.cell().childId);
      if (c != null && c.cell == p.cell()) {
        c.awaitingPong = false;
      }
    } else if (cmd instanceof Internal.ProbeTick t) {
      onProbe(t.cell());
    } else if (cmd instanceof Internal.ShutdownTimeout t) {
      onShutdownTimeout(t.cell());
    } else if (cmd instanceof Internal.FlushNotices f) {
      f.cell().flushScheduled.set(false);
      drainNotices(f.cell());
    } else if (cmd instanceof Supervisor.TellChild t) {
      tellChild(t);
    } else if (cmd instanceof Supervisor.TellAllChildren t) {
      for (Child c : children.values()) {
        if (c.restarting) {
          buffer(c, t.message());
        } else if (c.ref != null) {
          c.ref.tell(t.message());
        }
      }
    } else if (cmd instanceof Supervisor.TellTaggedChildren t) {
      for (Child c : children.values()) {
        if (!c.spec.tags().contains(t.tag())) {
          continue;
        }
        if (c.restarting) {
          buffer(c, t.message());
        } else if (c.ref != null) {
          c.ref.tell(t.message());
        }
      }
    } else if (cmd instanceof Supervisor.WhichChildren w) {
      drainAllNotices();
      List<Supervisor.ChildInfo> list = new ArrayList<>();
      for (Child c : children.values()) {
        list.add(new Supervisor.ChildInfo(c.id(), Optional.ofNullable(c.ref), c.spec.restartType(), c.spec.isSupervisor(),
            c.spec.significant(), c.restartCount, c.spec.tags()));
      }
      w.replyTo().tell(Collections.unmodifiableList(list));
    } else if (cmd instanceof Supervisor.CountChildren cc) {
      drainAllNotices();
      int active = 0;
      int sups = 0;
      for (Child c : children.values()) {
        active += c.ref != null ? 1 : 0;
        sups += c.spec.isSupervisor() ? 1 : 0;
      }
      cc.replyTo().tell(new Supervisor.ChildCount(children.size(), active, sups, children.size() - sups));
    } else if (cmd instanceof Supervisor.GetFailureHistory h) {
      drainAllNotices();
      h.replyTo().tell(List.copyOf(history));
    } else if (cmd instanceof Supervisor.Subscribe sub) {
      if (!subscribers.contains(sub.subscriber())) {
        subscribers.add(sub.subscriber());
      }
    } else if (cmd instanceof Supervisor.Unsubscribe unsub) {
      subscribers.remove(unsub.subscriber());
    } else if (cmd instanceof Supervisor.StartChild s) {
      whenIdle(() -> startChild(s));
    } else if (cmd instanceof Supervisor.TerminateChild t) {
      whenIdle(() -> terminateChild(t));
    } else if (cmd instanceof Supervisor.RestartChild r) {
      whenIdle(() -> restartChild(r));
    } else if (cmd instanceof Supervisor.DeleteChild d) {
      whenIdle(() -> deleteChild(d));
    } else if (cmd instanceof Supervisor.Stop || cmd == Internal.GracefulStop.INSTANCE) {
      whenIdle(() -> shutdown("stop requested"));
    } else {
      log.warn("Supervisor '{}' ignored an unknown command of type {}", name, cmd.getClass().getName());
    }
    return next();
  }

  private Behavior<Command> next() {
    return stopSelf ? Behaviors.stopped() : Behaviors.same();
  }

  private void tellChild(Supervisor.TellChild t) {
    Child c = children.get(t.childId());
    if (c == null) {
      log.warn("Supervisor '{}' has no child '{}'; a message of type {} went to dead letters", name, t.childId(),
          t.message().getClass().getName());
      ctx.getSystem().deadLetters().tell(t.message());
    } else if (c.restarting) {
      buffer(c, t.message()); // its old incarnation may still run or be stopping: the message is for the new one
    } else if (c.ref != null) {
      c.ref.tell(t.message());
    } else if (busy && !terminating && c.buffered.size() < MAX_BUFFERED_PER_CHILD) {
      c.buffered.addLast(t.message()); // delivered when the group restart spawns it again
    } else {
      log.debug("Supervisor '{}': child '{}' is not running; a message of type {} went to dead letters", name, t.childId(),
          t.message().getClass().getName());
      ctx.getSystem().deadLetters().tell(t.message());
    }
  }

  /** Keeps a message for a child a group restart will spawn again (bounded; past the bound, dead letters). */
  private void buffer(Child c, Object message) {
    if (!terminating && c.buffered.size() < MAX_BUFFERED_PER_CHILD) {
      c.buffered.addLast(message);
    } else {
      log.debug("Supervisor '{}': child '{}' is being restarted and {}; a message of type {} went to dead letters", name,
          c.id(), terminating ? "the supervisor is stopping" : "its buffer is full", message.getClass().getName());
      ctx.getSystem().deadLetters().tell(message);
    }
  }

  // ---------------------------------------------------------------- child termination

  private Behavior<Command> onTerminated(Terminated sig) {
    Child c = byRef.remove(sig.getRef());
    if (c == null) {
      return next();
    }
    Throwable cause = sig instanceof ChildFailed f ? f.getCause() : null;
    Incarnation cell = c.cell;
    drainNotices(cell); // restarts it did in place come before its termination
    c.ref = null;
    cancelTimers(c);
    if (c == awaitingStop) {
      publish(new SupervisionEvent.ChildStopped(name, c.id(), c.forced ? StopReason.FORCED : StopReason.SHUTDOWN, now()));
      stopStepDone();
    } else if (c == awaitingStart && cell.startCompleted) {
      // it started (its ack is still in the mailbox: the termination signal overtook it), then terminated
      awaitingStart = null;
      onStartFailed = null;
      Runnable r = onStarted;
      onStarted = null;
      r.run();
      exited(c, cause, cell);
    } else if (c == awaitingStart) {
      awaitingStart = null;
      if (cause != null) {
        recordFailure(c, cause, cell);
      }
      BiConsumer<Child, Throwable> f = onStartFailed;
      onStartFailed = null;
      onStarted = null;
      f.accept(c, cause);
    } else {
      exited(c, cause, cell);
    }
    return next();
  }

  /** A child terminated on its own (or was found hung). */
  private void exited(Child c, Throwable cause, Incarnation cell) {
    if (cause != null) {
      recordFailure(c, cause, cell);
    } else {
      publish(new SupervisionEvent.ChildStopped(name, c.id(), StopReason.EXITED, now()));
    }
    if (!terminating) {
      whenIdle(() -> afterExit(c, cause, cell));
    }
  }

  private void afterExit(Child c, Throwable cause, Incarnation cell) {
    if (terminating || children.get(c.id()) != c || c.cell != cell || c.ref != null) {
      return; // restarted meanwhile by a group restart, deleted, or we are going down anyway
    }
    boolean failed = cause != null;
    boolean restart = c.spec.restartType() == RestartType.PERMANENT
        || (c.spec.restartType() == RestartType.TRANSIENT && failed);
    if (!restart) {
      if (c.spec.restartType() == RestartType.TEMPORARY) {
        children.remove(c.id());
      }
      checkAutoShutdown(c);
      return;
    }
    if (cell.intensityExceeded || !intensity.tryRestart()) {
      giveUp(c, cause);
      return;
    }
    restartFor(c);
  }

  private void restartFor(Child c) {
    List<Child> group = new ArrayList<>();
    switch (spec.strategy()) {
      case ONE_FOR_ONE:
        respawn(c, c.id());
        return;
      case ONE_FOR_ALL:
        group.addAll(children.values());
        break;
      case REST_FOR_ONE:
        boolean from = false;
        for (Child x : children.values()) {
          from |= x == c;
          if (from) {
            group.add(x);
          }
        }
        break;
      default:
        throw new IllegalStateException(spec.strategy().toString());
    }
    busy = true;
    for (Child g : group) {
      // from now on, messages by id for a child this restart will spawn again wait for its new incarnation
      g.restarting = g.spec.restartType() != RestartType.TEMPORARY || g == c;
    }
    List<Child> reversed = new ArrayList<>(group);
    Collections.reverse(reversed);
    stopInOrder(reversed.iterator(), () -> {
      for (Child g : group) {
        if (g.spec.restartType() == RestartType.TEMPORARY && g != c) {
          children.remove(g.id());
        } else if (children.get(g.id()) == g) {
          respawn(g, c.id());
        }
      }
      idle();
    });
  }

  private void respawn(Child c, String trigger) {
    c.restartCount++;
    spawn(c, false);
    publish(new SupervisionEvent.ChildRestarted(name, c.id(), trigger, c.restartCount, now()));
  }

  private void drainNotices(Incarnation cell) {
    if (cell == null) {
      return;
    }
    Internal.RestartedInPlace n;
    while ((n = cell.notices.poll()) != null) {
      onRestartedInPlace(n);
    }
  }

  private void drainAllNotices() {
    for (Child c : children.values()) {
      drainNotices(c.cell);
    }
  }

  private void onRestartedInPlace(Internal.RestartedInPlace r) {
    Child c = children.get(r.cell().childId);
    if (c == null || c.cell != r.cell()) {
      return;
    }
    FailureRecord rec = new FailureRecord(name, c.id(), r.cause(), Optional.ofNullable(r.messageType()), r.time(),
        c.restartCount, Optional.ofNullable(r.message()));
    addFailure(rec);
    c.restartCount++;
    c.awaitingPong = false;
    publish(new SupervisionEvent.ChildRestarted(name, c.id(), c.id(), c.restartCount, now()));
  }

  private void checkAutoShutdown(Child c) {
    if (!c.spec.significant() || spec.autoShutdown() == AutoShutdown.NEVER) {
      return;
    }
    if (spec.autoShutdown() == AutoShutdown.ANY_SIGNIFICANT) {
      shutdown("auto-shutdown: significant child '" + c.id() + "' terminated");
      return;
    }
    for (Child x : children.values()) {
      if (x.spec.significant() && x.ref != null) {
        return;
      }
    }
    shutdown("auto-shutdown: all significant children terminated");
  }

  /** Past the intensity (or a failed start): stop every child in reverse order, then fail so the parent decides. */
  private void giveUp(Child c, Throwable cause) {
    terminating = true;
    busy = true;
    Throwable escalation = cause instanceof ChildStartFailedException ? cause
        : new RestartIntensityExceededException(name, spec.maxRestarts(), spec.period(), cause);
    if (!(cause instanceof ChildStartFailedException)) {
      publish(new SupervisionEvent.IntensityExceeded(name, spec.maxRestarts(), spec.period(), now()));
    }
    log.atLevel(Level.ERROR).setCause(cause)
        .log("Supervisor '{}' gives up: stopping its children and escalating ({})", name, escalation.getMessage());
    stopInOrder(runningReversed(), () -> {
      publish(new SupervisionEvent.Escalated(name, escalation, now()));
      throw Failures.sneaky(escalation);
    });
  }

  private void shutdown(String reason) {
    if (stopSelf) {
      return;
    }
    terminating = true;
    busy = true;
    stopInOrder(runningReversed(), () -> {
      publish(new SupervisionEvent.SupervisorStopped(name, reason, now()));
      log.info("Supervisor '{}' stopped ({})", name, reason);
      stopSelf = true;
    });
  }

  private Iterator<Child> runningReversed() {
    List<Child> list = new ArrayList<>(children.values());
    Collections.reverse(list);
    return list.iterator();
  }

  // ---------------------------------------------------------------- stopping children

  private void stopInOrder(Iterator<Child> it, Runnable done) {
    while (it.hasNext()) {
      Child c = it.next();
      if (c.ref != null) {
        awaitingStop = c;
        onStopped = () -> stopInOrder(it, done);
        beginStop(c);
        return;
      }
    }
    done.run();
  }

  @SuppressWarnings("unchecked")
  private void beginStop(Child c) {
    c.forced = false;
    switch (c.spec.shutdownMode()) {
      case IMMEDIATE:
        ctx.stop(c.ref);
        break;
      case GRACEFUL:
        c.ref.tell(c.spec.stopMessage().orElseThrow());
        c.shutdownTimerKey = List.of("shutdown", c.cell);
        timers.startSingleTimer(c.shutdownTimerKey, new Internal.ShutdownTimeout(c.cell), c.spec.shutdownTimeout().orElseThrow());
        break;
      case INFINITY:
        if (c.spec.isSupervisor()) {
          c.ref.tell(Internal.GracefulStop.INSTANCE);
        } else {
          c.ref.tell(c.spec.stopMessage().orElseThrow());
        }
        break;
      default:
        throw new IllegalStateException(c.spec.shutdownMode().toString());
    }
  }

  private void onShutdownTimeout(Incarnation cell) {
    Child c = awaitingStop;
    if (c == null || c.cell != cell || c.ref == null) {
      return;
    }
    log.warn("Supervisor '{}': child '{}' did not stop within {}; stopping it at once", name, c.id(),
        c.spec.shutdownTimeout().orElse(null));
    forceStop(c);
    publish(new SupervisionEvent.ChildStopped(name, c.id(), StopReason.FORCED, now()));
    stopStepDone();
  }

  /** Stops a child without waiting for it: it may be stuck in a handler. Its late termination is ignored. */
  private void forceStop(Child c) {
    ActorRef<Object> ref = c.ref;
    ctx.unwatch(ref);
    ctx.stop(ref);
    byRef.remove(ref);
    c.ref = null;
    c.forced = true;
    cancelTimers(c);
  }

  private void stopStepDone() {
    awaitingStop = null;
    Runnable r = onStopped;
    onStopped = null;
    r.run();
  }

  private void cancelTimers(Child c) {
    if (c.cell != null && c.spec.livenessDeadline().isPresent()) {
      timers.cancel(probeKey(c.cell));
    }
    if (c.shutdownTimerKey != null) {
      timers.cancel(c.shutdownTimerKey);
      c.shutdownTimerKey = null;
    }
  }

  // ---------------------------------------------------------------- hang detection

  private void onProbe(Incarnation cell) {
    Child c = children.get(cell.childId);
    if (c == null || c.cell != cell || c.ref == null) {
      return;
    }
    if (!c.awaitingPong) {
      c.awaitingPong = true;
      c.ref.tell(new Internal.Ping(cell));
      return;
    }
    Duration deadline = c.spec.livenessDeadline().orElseThrow();
    publish(new SupervisionEvent.ChildHung(name, c.id(), deadline, now()));
    Throwable cause = new ChildHungException(name, c.id(), deadline);
    if (c == awaitingStop) {
      forceStop(c);
      publish(new SupervisionEvent.ChildStopped(name, c.id(), StopReason.FORCED, now()));
      stopStepDone();
      return;
    }
    forceStop(c);
    if (c == awaitingStart) {
      awaitingStart = null;
      recordFailure(c, cause, cell);
      BiConsumer<Child, Throwable> f = onStartFailed;
      onStartFailed = null;
      onStarted = null;
      f.accept(c, cause);
      return;
    }
    exited(c, cause, cell);
  }

  // ---------------------------------------------------------------- dynamic children

  private void startChild(Supervisor.StartChild s) {
    ChildSpec<?> cs = s.spec();
    if (children.containsKey(cs.id())) {
      s.replyTo().tell(new ChildOpResult(cs.id(), Outcome.ALREADY_PRESENT, "a child with this id exists"));
      return;
    }
    try {
      spec.validateChild(cs);
    } catch (InvalidSpecException e) {
      s.replyTo().tell(new ChildOpResult(cs.id(), Outcome.INVALID_SPEC, e.getMessage()));
      return;
    }
    Child c = new Child(cs);
    children.put(cs.id(), c);
    startOne(c, s.replyTo(), true);
  }

  private void startOne(Child c, ActorRef<ChildOpResult> replyTo, boolean removeOnFailure) {
    busy = true;
    startInOrder(List.of(c).iterator(), () -> {
      replyTo.tell(new ChildOpResult(c.id(), Outcome.OK, "started as " + c.ref.path().name()));
      idle();
    }, (failed, cause) -> {
      if (removeOnFailure) {
        children.remove(failed.id());
      }
      replyTo.tell(new ChildOpResult(failed.id(), Outcome.START_FAILED,
          new ChildStartFailedException(name, failed.id(), cause).getMessage()));
      idle();
    });
  }

  private void terminateChild(Supervisor.TerminateChild t) {
    Child c = children.get(t.childId());
    if (c == null) {
      t.replyTo().tell(new ChildOpResult(t.childId(), Outcome.NOT_FOUND, "no such child"));
      return;
    }
    busy = true;
    stopInOrder(List.of(c).iterator(), () -> {
      if (c.spec.restartType() == RestartType.TEMPORARY) {
        children.remove(c.id());
      }
      t.replyTo().tell(new ChildOpResult(c.id(), Outcome.OK, "terminated"));
      idle();
    });
  }

  private void restartChild(Supervisor.RestartChild r) {
    Child c = stoppedChild(r.childId(), r.replyTo());
    if (c != null) {
      startOne(c, r.replyTo(), false);
    }
  }

  private void deleteChild(Supervisor.DeleteChild d) {
    Child c = stoppedChild(d.childId(), d.replyTo());
    if (c != null) {
      children.remove(c.id());
      d.replyTo().tell(new ChildOpResult(d.childId(), Outcome.OK, "deleted"));
    }
  }

  /** The child {@code id} if it exists and is not running; otherwise replies NOT_FOUND or RUNNING and returns null. */
  private Child stoppedChild(String id, ActorRef<ChildOpResult> replyTo) {
    Child c = children.get(id);
    if (c == null) {
      replyTo.tell(new ChildOpResult(id, Outcome.NOT_FOUND, "no such child"));
      return null;
    }
    if (c.ref != null) {
      replyTo.tell(new ChildOpResult(id, Outcome.RUNNING, "the child is running; terminate it first"));
      return null;
    }
    return c;
  }

  // ---------------------------------------------------------------- plumbing

  private void whenIdle(Runnable r) {
    if (busy) {
      deferred.addLast(r);
    } else {
      r.run();
    }
  }

  private void idle() {
    busy = false;
    while (!busy && !deferred.isEmpty()) {
      deferred.pollFirst().run();
    }
  }

  private java.time.Instant now() {
    return spec.clock().instant();
  }

  private void recordFailure(Child c, Throwable cause, Incarnation cell) {
    FailureRecord rec = new FailureRecord(name, c.id(), cause, Optional.ofNullable(cell == null ? null : cell.lastMessageType),
        now(), c.restartCount, Optional.ofNullable(cell == null ? null : cell.lastMessage));
    addFailure(rec);
  }

  private void addFailure(FailureRecord rec) {
    if (history.size() >= spec.failureHistorySize()) {
      history.pollFirst();
    }
    history.addLast(rec);
    log.atLevel(spec.failureLogLevel()).setCause(rec.cause())
        .log("Supervisor '{}': child '{}' failed{} (restart count {})", name, rec.childId(),
            rec.messageType().map(t -> " while processing a " + t).orElse(""), rec.restartCount());
    publish(new SupervisionEvent.ChildFailed(rec));
  }

  private void publish(SupervisionEvent event) {
    for (SupervisionListener l : spec.listeners()) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        log.warn("Supervisor '{}': a supervision listener threw; ignored", name, e);
      }
    }
    for (ActorRef<SupervisionEvent> sub : subscribers) {
      sub.tell(event);
    }
    if (spec.publishToEventStream()) {
      ctx.getSystem().eventStream().tell(new EventStream.Publish<>(event));
    }
  }
}
