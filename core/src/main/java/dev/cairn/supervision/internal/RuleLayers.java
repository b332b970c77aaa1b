package dev.cairn.supervision.internal;

import dev.cairn.supervision.Directive;
import dev.cairn.supervision.FailurePolicy;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link FailurePolicy} from Pekko's supervision layers so that the FIRST matching rule wins.
 *
 * <p>Layout, outside in: an unwrapping interceptor, one Pekko {@code supervise} layer per resume/restart/backoff
 * rule (rule 0 innermost), and a classifying interceptor around the user's behavior. The classifier finds the
 * first matching rule {@code i} and rethrows the failure inside a carrier class that only layer {@code i}
 * matches, so no other layer can take it, whatever the exception types. Stop is done by the classifier (a
 * normal exit); escalation and exhausted limits pass through as carriers and are unwrapped at the top, so the
 * actor fails with the original exception.
 */
public final class RuleLayers {
  public static final int MAX_RULES = 16;
  private static final Logger LOG = LoggerFactory.getLogger(FailurePolicy.class);

  private RuleLayers() {}

  /** Carrier for rule {@code i}; a distinct class per rule index. */
  public abstract static class RuleCarrier extends Failures.Carrier {
    private static final long serialVersionUID = 1L;

    RuleCarrier(Throwable cause) {
      super(cause);
    }
  }

  static final class R0 extends RuleCarrier { private static final long serialVersionUID = 1L; R0(Throwable c) { super(c); } }
  static final class R1 extends RuleCarrier { private static final long serialVersionUID = 1L; R1(Throwable c) { super(c); } }
  static final class R2 extends RuleCarrier { private static final long serialVersionUID = 1L; R2(Throwable c) { super(c); } }
  static final class R3 extends RuleCarrier { private static final long serialVersionUID = 1L; R3(Throwable c) { super(c); } }
  static final class R4 extends RuleCarrier { private static final long serialVersionUID = 1L; R4(Throwable c) { super(c); } }
  static final class R5 extends RuleCarrier { private static final long serialVersionUID = 1L; R5(Throwable c) { super(c); } }
  static final class R6 extends RuleCarrier { private static final long serialVersionUID = 1L; R6(Throwable c) { super(c); } }
  static final class R7 extends RuleCarrier { private static final long serialVersionUID = 1L; R7(Throwable c) { super(c); } }
  static final class R8 extends RuleCarrier { private static final long serialVersionUID = 1L; R8(Throwable c) { super(c); } }
  static final class R9 extends RuleCarrier { private static final long serialVersionUID = 1L; R9(Throwable c) { super(c); } }
  static final class R10 extends RuleCarrier { private static final long serialVersionUID = 1L; R10(Throwable c) { super(c); } }
  static final class R11 extends RuleCarrier { private static final long serialVersionUID = 1L; R11(Throwable c) { super(c); } }
  static final class R12 extends RuleCarrier { private static final long serialVersionUID = 1L; R12(Throwable c) { super(c); } }
  static final class R13 extends RuleCarrier { private static final long serialVersionUID = 1L; R13(Throwable c) { super(c); } }
  static final class R14 extends RuleCarrier { private static final long serialVersionUID = 1L; R14(Throwable c) { super(c); } }
  static final class R15 extends RuleCarrier { private static final long serialVersionUID = 1L; R15(Throwable c) { super(c); } }

  private static final List<Class<? extends RuleCarrier>> CLASSES = List.of(
      R0.class,
      R1.class,
      R2.class,
      R3.class,
      R4.class,
      R5.class,
      R6.class,
      R7.class,
      R8.class,
      R9.class,
      R10.class,
      R11.class,
      R12.class,
      R13.class,
      R14.class,
      R15.class
  );
  private static final List<Function<Throwable, RuleCarrier>> WRAP = List.of(
      R0::new,
      R1::new,
      R2::new,
      R3::new,
      R4::new,
      R5::new,
      R6::new,
      R7::new,
      R8::new,
      R9::new,
      R10::new,
      R11::new,
      R12::new,
      R13::new,
      R14::new,
      R15::new
  );

  @SuppressWarnings("unchecked")
  public static <T> Behavior<T> apply(List<FailurePolicy.Rule> rules, Behavior<T> behavior) {
    Behavior<Object> b = Behaviors.intercept(() -> new Classify(rules), (Behavior<Object>) behavior);
    for (int i = 0; i < rules.size(); i++) {
      SupervisorStrategy s = toPekko(rules.get(i).directive());
      if (s != null) {
        b = Behaviors.supervise(b).onFailure(CLASSES.get(i), s);
      }
    }
    return (Behavior<T>) Behaviors.intercept(Unwrap::new, b);
  }

  static SupervisorStrategy toPekko(Directive d) {
    switch (d.kind()) {
      case RESUME:
        return SupervisorStrategy.resume().withLogLevel(d.logLevel());
      case RESTART: {
        var s = SupervisorStrategy.restart().withLogLevel(d.logLevel()).withStopChildren(d.stopChildren());
        if (d.maxRestarts() >= 0) {
          s = s.withLimit(d.maxRestarts(), d.within().orElseThrow());
        }
        if (d.stashCapacity() >= 0) {
          s = s.withStashCapacity(d.stashCapacity());
        }
        return s;
      }
      case BACKOFF: {
        var s = SupervisorStrategy.restartWithBackoff(d.minBackoff().orElseThrow(), d.maxBackoff().orElseThrow(), d.randomFactor())
            .withLogLevel(d.logLevel()).withStopChildren(d.stopChildren());
        if (d.maxRestarts() >= 0) {
          s = s.withMaxRestarts(d.maxRestarts());
        }
        if (d.resetBackoffAfter().isPresent()) {
          s = s.withResetBackoffAfter(d.resetBackoffAfter().get());
        }
        if (d.stashCapacity() >= 0) {
          s = s.withStashCapacity(d.stashCapacity());
        }
        return s;
      }
      default:
        return null; // STOP and ESCALATE are done by the classifier
    }
  }

  /** Finds the first matching rule and hands the failure to that rule's layer. */
  static final class Classify extends BehaviorInterceptor<Object, Object> {
    private final List<FailurePolicy.Rule> rules;

    Classify(List<FailurePolicy.Rule> rules) {
      super(Object.class);
      this.rules = rules;
    }

    @Override
    public Behavior<Object> aroundStart(TypedActorContext<Object> ctx, PreStartTarget<Object> target) {
      try {
        return target.start(ctx);
      } catch (Throwable t) {
        return decide(ctx, t);
      }
    }

    @Override
    public Behavior<Object> aroundReceive(TypedActorContext<Object> ctx, Object msg, ReceiveTarget<Object> target) {
      try {
        return target.apply(ctx, msg);
      } catch (Throwable t) {
        return decide(ctx, t);
      }
    }

    @Override
    public Behavior<Object> aroundSignal(TypedActorContext<Object> ctx, Signal signal, SignalTarget<Object> target) {
      try {
        return target.apply(ctx, signal);
      } catch (Throwable t) {
        return decide(ctx, t);
      }
    }

    private Behavior<Object> decide(TypedActorContext<Object> ctx, Throwable t) {
      if (Failures.isFatal(t) || t instanceof Failures.Carrier) {
        throw Failures.sneaky(t);
      }
      for (int i = 0; i < rules.size(); i++) {
        FailurePolicy.Rule r = rules.get(i);
        if (r.type().isInstance(t)) {
          switch (r.directive().kind()) {
            case STOP:
              LOG.atLevel(r.directive().logLevel()).setCause(t)
                  .log("Actor '{}' stopped by failure rule [{}]", ctx.asJava().getSelf().path(), r);
              return Behaviors.stopped();
            case ESCALATE:
              throw new Failures.Escalation(t);
            default:
              throw WRAP.get(i).apply(t);
          }
        }
      }
      throw Failures.sneaky(t);
    }
  }

  /** Turns carriers back into the original failure, so the actor fails with what was thrown. */
  static final class Unwrap extends BehaviorInterceptor<Object, Object> {
    Unwrap() {
      super(Object.class);
    }

    @Override
    public Behavior<Object> aroundStart(TypedActorContext<Object> ctx, PreStartTarget<Object> target) {
      try {
        return Failures.unwrapFailed(target.start(ctx));
      } catch (Failures.Escalation | RuleCarrier c) {
        throw Failures.sneaky(c.getCause());
      }
    }

    @Override
    public Behavior<Object> aroundReceive(TypedActorContext<Object> ctx, Object msg, ReceiveTarget<Object> target) {
      try {
        return Failures.unwrapFailed(target.apply(ctx, msg));
      } catch (Failures.Escalation | RuleCarrier c) {
        throw Failures.sneaky(c.getCause());
      }
    }

    @Override
    public Behavior<Object> aroundSignal(TypedActorContext<Object> ctx, Signal signal, SignalTarget<Object> target) {
      try {
        return Failures.unwrapFailed(target.apply(ctx, signal));
      } catch (Failures.Escalation | RuleCarrier c) {
        throw Failures.sneaky(c.getCause());
      }
    }
  }
}
