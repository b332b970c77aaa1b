package dev.cairn.supervision.internal;

import dev.cairn.supervision.Supervisor;
import java.time.Instant;
import org.apache.pekko.actor.typed.ActorRef;

/** Messages between a supervisor and its children's interceptors. */
final class Internal {
  private Internal() {}

  /** A child finished its start (sent by workers' shells and by child supervisors after their ordered start). */
  record ChildUp(Incarnation cell) implements Supervisor.Command {}

  /** Liveness probe; answered by the child's shell, outside the child's own behavior. */
  record Ping(Incarnation cell) {}

  record Pong(Incarnation cell) implements Supervisor.Command {}

  record ProbeTick(Incarnation cell) implements Supervisor.Command {}

  record ShutdownTimeout(Incarnation cell) implements Supervisor.Command {}

  /** A one-for-one child restarted itself in place after a failure. */
  record RestartedInPlace(Incarnation cell, Throwable cause, String messageType, Object message, Instant time)
      {}

  /** Read the in-place restart notices queued in {@code cell}. */
  record FlushNotices(Incarnation cell) implements Supervisor.Command {}

  /** Graceful stop of a child supervisor: stop children in reverse order, then itself. */
  enum GracefulStop implements Supervisor.Command { INSTANCE }
}
