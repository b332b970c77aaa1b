package dev.cairn.supervision;

import java.time.Duration;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Something a supervisor did or saw. Delivered to {@link SupervisionListener}s and published on the actor
 * system's EventStream (subscribe to {@code SupervisionEvent.class}). {@code toString()} reads as a sentence.
 */
public sealed interface SupervisionEvent {

  /** Name of the supervisor that published the event. */
  String supervisor();

  /** When it happened, from the supervisor's clock. */
  Instant time();

  /** Why a child stopped. */
  enum StopReason {
    /** The child stopped on its own (a normal exit). */
    EXITED,
    /** The supervisor stopped it (terminate, sibling restart, shutdown or escalation). */
    SHUTDOWN,
    /** It did not stop within its graceful shutdown timeout (or was hung), so it was stopped at once. */
    FORCED
  }

  /** A child was started (initial start in order, or a dynamic start). */
  record ChildStarted(String supervisor, String childId, ActorRef<?> ref, Instant time) implements SupervisionEvent {
    @Override
    public String toString() {
      return "Supervisor '" + supervisor + "' started child '" + childId + "' as " + ref.path().name();
    }
  }

  /** A child failed; the record says with what and while processing which message type. */
  record ChildFailed(FailureRecord failure) implements SupervisionEvent {
    @Override
    public String supervisor() {
      return failure.supervisor();
    }

    @Override
    public Instant time() {
      return failure.time();
    }

    public String childId() {
      return failure.childId();
    }

    @Override
    public String toString() {
      return "Supervisor '" + failure.supervisor() + "' saw child '" + failure.childId() + "' fail with " + failure.cause()
          + failure.messageType().map(t -> " while processing a " + t).orElse("");
    }
  }

  /** A child was restarted, because it terminated itself or because {@code trigger} (a sibling) did. */
  record ChildRestarted(String supervisor, String childId, String trigger, int restartCount, Instant time)
      implements SupervisionEvent {
    @Override
    public String toString() {
      return "Supervisor '" + supervisor + "' restarted child '" + childId + "'"
          + (trigger.equals(childId) ? "" : " because child '" + trigger + "' terminated") + " (restart " + restartCount + ")";
    }
  }

  /** A child stopped and is not (yet) running. */
  record ChildStopped(String supervisor, String childId, StopReason reason, Instant time) implements SupervisionEvent {
    @Override
    public String toString() {
      switch (reason) {
        case EXITED:
          return "Supervisor '" + supervisor + "' saw child '" + childId + "' exit normally";
        case FORCED:
          return "Supervisor '" + supervisor + "' forced child '" + childId + "' to stop";
        default:
          return "Supervisor '" + supervisor + "' stopped child '" + childId + "'";
      }
    }
  }

  /** A child did not answer its liveness probe within its deadline; it is handled as failed. */
  record ChildHung(String supervisor, String childId, Duration deadline, Instant time) implements SupervisionEvent {
    @Override
    public String toString() {
      return "Supervisor '" + supervisor + "' found child '" + childId + "' hung: no answer to its liveness probe within "
          + deadline;
    }
  }

  /** More restarts than the intensity allows: the supervisor gives up its children. */
  record IntensityExceeded(String supervisor, int maxRestarts, Duration period, Instant time) implements SupervisionEvent {
    @Override
    public String toString() {
      return "Supervisor '" + supervisor + "' exceeded its restart intensity of " + maxRestarts + " restarts within " + period;
    }
  }

  /** The supervisor failed itself so that its parent decides. */
  record Escalated(String supervisor, Throwable cause, Instant time) implements SupervisionEvent {
    @Override
    public String toString() {
      return "Supervisor '" + supervisor + "' escalated to its parent: " + cause.getMessage();
    }
  }

  /** The supervisor stopped normally, after stopping its children in reverse order. */
  record SupervisorStopped(String supervisor, String reason, Instant time) implements SupervisionEvent {
    @Override
    public String toString() {
      return "Supervisor '" + supervisor + "' stopped (" + reason + ")";
    }
  }
}
