package dev.cairn.supervision;

/**
 * Receives every {@link SupervisionEvent} of a supervisor. Called on the supervisor's own thread, in event
 * order: it must return quickly and never block. An exception thrown by a listener is logged and ignored.
 */
@FunctionalInterface
public interface SupervisionListener {
  void onEvent(SupervisionEvent event);
}
