package dev.cairn.supervision.internal;

import dev.cairn.supervision.MessageRedactor;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.internal.BehaviorImpl;
import org.apache.pekko.actor.typed.internal.BehaviorImpl;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Wraps a child's behavior for its supervisor. Outside in:
 * <ol>
 *   <li>{@link Shell}: answers liveness pings (so a child stuck in a handler cannot answer), acknowledges the start,
 *       unwraps carriers;</li>
 *   <li>for one-for-one PERMANENT/TRANSIENT children only, Pekko's restart layer for {@link Failures.InPlaceRestart}:
 *       the restart happens inside the child, without a round trip to the supervisor (the lean path);</li>
 *   <li>{@link Decide}: records the type of the message being processed and, for in-place children, takes the
 *       restart from the supervisor's shared intensity window; past it, the child fails and the supervisor
 *       escalates.</li>
 * </ol>
 */
final class ChildShell {
  private ChildShell() {}

  @SuppressWarnings("unchecked")
  static Behavior<Object> wrap(Behavior<?> inner, Incarnation cell, boolean inPlace, Intensity intensity,
      MessageRedactor redactor, java.time.Clock clock) {
    Behavior<Object> b = Behaviors.intercept(() -> new Decide(cell, inPlace, intensity, redactor, clock),
        (Behavior<Object>) inner);
    if (inPlace) {
      b = Behaviors.supervise(b).onFailure(Failures.InPlaceRestart.class,
          SupervisorStrategy.restart().withLoggingEnabled(false));
    }
    return Behaviors.intercept(() -> new Shell(cell), b);
  }

  static final class Shell extends BehaviorInterceptor<Object, Object> {
    private final Incarnation cell;

    Shell(Incarnation cell) {
      super(Object.class);
      this.cell = cell;
    }

    @Override
    public Behavior<Object> aroundStart(TypedActorContext<Object> ctx, PreStartTarget<Object> target) {
      Behavior<Object> started;
      try {
        started = target.start(ctx);
      } catch (Failures.Carrier c) {
        throw Failures.sneaky(c.getCause());
      }
      if (Behavior.isAlive(started) && !cell.isSupervisor) {
        cell.startCompleted = true;
        if (cell.ackOnStart) {
          cell.supervisor.tell(new Internal.ChildUp(cell));
        }
      }
      return started;
    }

    @Override
    public Behavior<Object> aroundReceive(TypedActorContext<Object> ctx, Object msg, ReceiveTarget<Object> target) {
      if (msg instanceof Internal.Ping) {
        cell.supervisor.tell(new Internal.Pong(cell));
        return Behaviors.same();
      }
      try {
        return target.apply(ctx, msg);
      } catch (Throwable t) {
        return fail(t);
      }
    }

    @Override
    public Behavior<Object> aroundSignal(TypedActorContext<Object> ctx, Signal signal, SignalTarget<Object> target) {
      try {
        return target.apply(ctx, signal);
      } catch (Throwable t) {
        return fail(t);
      }
    }

    /**
     * Fails the actor with the original cause as a "failed" behavior rather than a thrown exception: the parent still
     * gets {@code ChildFailed(cause)}, but Pekko does not log the failure a second time (the supervisor logs it, with
     * identity, at its configured level).
     */
    private static Behavior<Object> fail(Throwable t) {
      Throwable cause = t instanceof Failures.Carrier ? t.getCause() : t;
      if (Failures.isFatal(cause)) {
        throw Failures.sneaky(cause);
      }
      return BehaviorImpl.failed(cause);
    }
  }

  static final java.time.Duration NOTICE_DELAY = java.time.Duration.ofMillis(1);

  static final class Decide extends BehaviorInterceptor<Object, Object> {
    private final Incarnation cell;
    private final boolean inPlace;
    private final Intensity intensity;
    private final MessageRedactor redactor;
    private final java.time.Clock clock;

    Decide(Incarnation cell, boolean inPlace, Intensity intensity, MessageRedactor redactor, java.time.Clock clock) {
      super(Object.class);
      this.cell = cell;
      this.inPlace = inPlace;
      this.intensity = intensity;
      this.redactor = redactor;
      this.clock = clock;
    }

    @Override
    public Behavior<Object> aroundReceive(TypedActorContext<Object> ctx, Object msg, ReceiveTarget<Object> target) {
      Behavior<Object> next;
      try {
        next = target.apply(ctx, msg);
      } catch (Throwable t) {
        throw failed(ctx, t, msg.getClass().getName(), msg);
      }
      Throwable returnedFailure = Failures.failedCause(next); // e.g. a local backoff rule past its limit
      if (returnedFailure != null) {
        throw failed(ctx, returnedFailure, msg.getClass().getName(), msg);
      }
      return next;
    }

    @Override
    public Behavior<Object> aroundSignal(TypedActorContext<Object> ctx, Signal signal, SignalTarget<Object> target) {
      Behavior<Object> next;
      try {
        next = target.apply(ctx, signal);
      } catch (Throwable t) {
        throw failed(ctx, t, signal.getClass().getName(), null);
      }
      Throwable returnedFailure = Failures.failedCause(next);
      if (returnedFailure != null) {
        throw failed(ctx, returnedFailure, signal.getClass().getName(), null);
      }
      return next;
    }

    private RuntimeException failed(TypedActorContext<Object> ctx, Throwable t, String messageType, Object msg) {
      if (Failures.isFatal(t) || t instanceof Failures.Carrier) {
        throw Failures.sneaky(t);
      }
      Object shown = null;
      if (msg != null) {
        try {
          shown = redactor.reveal(cell.childId, msg).orElse(null);
        } catch (RuntimeException redactorFailed) {
          shown = null; // a broken redactor must not change how the failure is handled, nor leak the payload
        }
      }
      cell.lastMessageType = messageType;
      cell.lastMessage = shown;
      // never in place while the child is still starting: a failed start is decided by the supervisor
      if (inPlace && cell.startCompleted) {
        if (intensity.tryRestart()) {
          cell.notices.add(new Internal.RestartedInPlace(cell, t, messageType, shown, clock.instant()));
          if (cell.flushScheduled.compareAndSet(false, true)) {
            // the supervisor is told after a scheduler tick and reads all notices queued by then: its wake-up is
            // kept off the restart path and happens once per burst of restarts, not once per restart
            var system = ctx.asJava().getSystem();
            system.scheduler().scheduleOnce(NOTICE_DELAY, () -> cell.supervisor.tell(new Internal.FlushNotices(cell)),
                system.executionContext());
          }
          throw new Failures.InPlaceRestart(t);
        }
        cell.intensityExceeded = true;
      }
      throw Failures.sneaky(t);
    }
  }
}
