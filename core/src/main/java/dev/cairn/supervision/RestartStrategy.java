package dev.cairn.supervision;

/** Which children a supervisor restarts when one of them terminates and is to be restarted. */
public enum RestartStrategy {
  /** Only the child that terminated is restarted. */
  ONE_FOR_ONE,
  /** Every other child is stopped (reverse start order), then all are started again in start order. */
  ONE_FOR_ALL,
  /** The children started after the terminated one are stopped (reverse order), then it and they are started again in order. */
  REST_FOR_ONE
}
