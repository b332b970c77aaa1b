package dev.cairn.supervision;

import dev.cairn.supervision.internal.SupervisorActor;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * An OTP-style supervisor as a Pekko Typed behavior, and its protocol.
 *
 * <p>Reaching a child by id: a child's {@code ActorRef} can change when it restarts (a one-for-one restart after a
 * failure keeps it; every other restart spawns a new actor). The stable ways to reach a child are
 * {@link TellChild} / {@link TellAllChildren} sent to the supervisor, {@link #askChild} for request-reply, and
 * {@link #childProxy}, a tiny behavior you spawn to get an {@code ActorRef<T>} that never changes. Messages sent
 * through the supervisor for a child that a group restart has chosen to restart (from that decision on, even while its
 * old incarnation still runs or is stopping) are buffered, up to 1,000 per child (past that, dead letters), and
 * delivered in order to the new incarnation.
 */
public final class Supervisor {
  private Supervisor() {}

  /** The supervisor's behavior. Its children start in order before it accepts dynamic-child commands. */
  public static Behavior<Command> create(SupervisorSpec spec) {
    Objects.requireNonNull(spec, "'spec' must not be null");
    return SupervisorActor.create(spec, null);
  }

  /**
   * A behavior that forwards every message to the child {@code childId} of {@code supervisor}. Spawn it anywhere to get
   * a stable {@code ActorRef<T>} for a child whose own ref changes across restarts (one hop more per message).
   */
  public static <T> Behavior<T> childProxy(ActorRef<Command> supervisor, String childId) {
    Objects.requireNonNull(supervisor, "'supervisor' must not be null");
    Objects.requireNonNull(childId, "'childId' must not be null");
    return Behaviors.receiveMessage(msg -> {
      supervisor.tell(new TellChild(childId, msg));
      return Behaviors.same();
    });
  }

  /**
   * Request-reply with a child by id: {@code makeRequest} builds the child's message around the reply-to ref; the
   * supervisor forwards it to the child's current incarnation.
   */
  public static <R> CompletionStage<R> askChild(ActorRef<Command> supervisor, String childId,
      Function<ActorRef<R>, Object> makeRequest, Duration timeout, Scheduler scheduler) {
    return AskPattern.ask(supervisor, (ActorRef<R> replyTo) -> new TellChild(childId, makeRequest.apply(replyTo)), timeout,
        scheduler);
  }

  /**
   * Request-reply with every running child that {@code which} selects (e.g. {@code info -> info.tags().contains("x")}):
   * the supervisor lists its children, then each selected child gets {@code makeRequest}'s message through the
   * supervisor (so a child restarting with its group gets it buffered, like {@link #askChild}). Completes
   * with the replies by child id, in start order, or fails if a selected child does not reply within {@code timeout}.
   */
  public static <R> CompletionStage<java.util.Map<String, R>> askChildren(ActorRef<Command> supervisor,
      java.util.function.Predicate<ChildInfo> which, Function<ActorRef<R>, Object> makeRequest, Duration timeout,
      Scheduler scheduler) {
    CompletionStage<List<ChildInfo>> children = AskPattern.ask(supervisor, WhichChildren::new, timeout, scheduler);
    return children.thenCompose(list -> {
      java.util.Map<String, java.util.concurrent.CompletableFuture<R>> asks = new java.util.LinkedHashMap<>();
      for (ChildInfo info : list) {
        if (info.running() && which.test(info)) {
          // through the supervisor, not the listed ref: a child restarting with its group gets the request buffered
          asks.put(info.id(), askChild(supervisor, info.id(), makeRequest, timeout, scheduler).toCompletableFuture());
        }
      }
      return java.util.concurrent.CompletableFuture.allOf(asks.values().toArray(new java.util.concurrent.CompletableFuture<?>[0]))
          .thenApply(done -> {
            java.util.Map<String, R> out = new java.util.LinkedHashMap<>();
            asks.forEach((id, f) -> out.put(id, f.join()));
            return java.util.Collections.unmodifiableMap(out);
          });
    });
  }

  /** Everything a supervisor understands. Internal messages implement it too; send only the public records. */
  public interface Command {}

  /** Forward {@code message} to the child {@code childId} (buffered while that child is restarted with a group). */
  public record TellChild(String childId, Object message) implements Command {
    public TellChild {
      Objects.requireNonNull(childId, "'childId' must not be null");
      Objects.requireNonNull(message, "'message' must not be null");
    }
  }

  /** Forward {@code message} to every running child, in start order (children that do not understand it ignore it). */
  public record TellAllChildren(Object message) implements Command {
    public TellAllChildren {
      Objects.requireNonNull(message, "'message' must not be null");
    }
  }

  /** Forward {@code message} to every running child that carries {@code tag} (see {@link ChildSpec#withTags}). */
  public record TellTaggedChildren(String tag, Object message) implements Command {
    public TellTaggedChildren {
      Objects.requireNonNull(tag, "'tag' must not be null");
      Objects.requireNonNull(message, "'message' must not be null");
    }
  }

  /** Start a new child at run time (after the existing ones). Replies when it started or failed to. */
  public record StartChild(ChildSpec<?> spec, ActorRef<ChildOpResult> replyTo) implements Command {}

  /** Stop a running child; its spec is kept (a TEMPORARY child's is deleted). */
  public record TerminateChild(String childId, ActorRef<ChildOpResult> replyTo) implements Command {}

  /** Start a child that was terminated (not counted against the intensity). */
  public record RestartChild(String childId, ActorRef<ChildOpResult> replyTo) implements Command {}

  /** Forget the spec of a child that is not running. */
  public record DeleteChild(String childId, ActorRef<ChildOpResult> replyTo) implements Command {}

  /** List the children in start order. */
  public record WhichChildren(ActorRef<List<ChildInfo>> replyTo) implements Command {}

  /** Count the children. */
  public record CountChildren(ActorRef<ChildCount> replyTo) implements Command {}

  /** The bounded failure history, oldest first. */
  public record GetFailureHistory(ActorRef<List<FailureRecord>> replyTo) implements Command {}

  /** Send every later event of this supervisor to {@code subscriber} (in addition to spec listeners and the EventStream). */
  public record Subscribe(ActorRef<SupervisionEvent> subscriber) implements Command {}

  /** Stop sending events to {@code subscriber}. */
  public record Unsubscribe(ActorRef<SupervisionEvent> subscriber) implements Command {}

  /** Stop the children in reverse start order (honouring their shutdown), then the supervisor itself. */
  public record Stop() implements Command {}

  /** One child as listed by {@link WhichChildren}. */
  public record ChildInfo(String id, Optional<ActorRef<?>> ref, RestartType restartType, boolean isSupervisor,
      boolean significant, int restartCount, java.util.Set<String> tags) {
    public boolean running() {
      return ref.isPresent();
    }

    /** The current ref, cast to the child's message type (which the caller must know). */
    @SuppressWarnings("unchecked")
    public <T> Optional<ActorRef<T>> refAs() {
      return ref.map(r -> (ActorRef<T>) r);
    }
  }

  /** Counts as OTP's {@code count_children}: specs, running children, supervisors, workers. */
  public record ChildCount(int specs, int active, int supervisors, int workers) {}

  /** The reply to a dynamic-child command. */
  public record ChildOpResult(String childId, Outcome outcome, String detail) {
    public boolean ok() {
      return outcome == Outcome.OK;
    }
  }

  /** Outcome of a dynamic-child command. */
  public enum Outcome {
    OK, NOT_FOUND, ALREADY_PRESENT, RUNNING, INVALID_SPEC, START_FAILED
  }
}
