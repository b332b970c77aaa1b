package dev.cairn.persistence;

/** What caused a rollback. Stored by name in {@link RollbackMarker#trigger()}. */
public enum RollbackTrigger {
  /** An exception type listed in the {@link RollbackPolicy} was thrown while applying an event. */
  EXCEPTION,
  /** An {@link Invariant} did not hold after an event was applied or after recovery. */
  INVARIANT_VIOLATION,
  /** A poison event was found during replay under {@link PoisonEventPolicy#ROLLBACK_TO_BEFORE}. */
  POISON_EVENT,
  /** A {@link PolicyCommand.RollBack} command, sent to the actor or through its supervisor. */
  COMMAND
}
