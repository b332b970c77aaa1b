package dev.cairn.supervision.internal;

import dev.cairn.supervision.Supervisor;
import org.apache.pekko.actor.typed.ActorRef;

/** One spawned incarnation of a child; shared between the child's interceptors and its supervisor. */
final class Incarnation {
  final String childId;
  final ActorRef<Supervisor.Command> supervisor;
  final boolean ackOnStart;
  final boolean isSupervisor;
  /** Written by the child before it fails; read by the supervisor after the failure signal (happens-before). */
  volatile String lastMessageType;
  volatile Object lastMessage;
  volatile boolean intensityExceeded;
  /** Set (before any ack is sent) once the child finished starting; a child supervisor sets it for itself. */
  volatile boolean startCompleted;
  /** In-place restarts not yet read by the supervisor. */
  final java.util.concurrent.ConcurrentLinkedQueue<Internal.RestartedInPlace> notices =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  final java.util.concurrent.atomic.AtomicBoolean flushScheduled = new java.util.concurrent.atomic.AtomicBoolean();

  Incarnation(String childId, ActorRef<Supervisor.Command> supervisor, boolean ackOnStart, boolean isSupervisor) {
    this.isSupervisor = isSupervisor;
    this.childId = childId;
    this.supervisor = supervisor;
    this.ackOnStart = ackOnStart;
  }

  @Override
  public String toString() {
    return "Incarnation(" + childId + ")";
  }
}
