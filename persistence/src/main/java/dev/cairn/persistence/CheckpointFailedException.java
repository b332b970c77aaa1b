package dev.cairn.persistence;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One or more persistent children could not store the checkpoint they were asked for
 * ({@link PersistentChildren#checkpointAllAndWait}): the snapshot store failed the save, or the
 * actor failed, restarted or stopped before the save was confirmed (each failure's cause says
 * which). The events are still in the journal, so nothing acknowledged is lost; only redo replays
 * more events until a checkpoint succeeds.
 *
 * <p>{@link #persistenceId()} and {@link #sequenceNr()} are those of the first failed child (in
 * start order); {@link #failures()} has every failed child and {@link #taken()} the children
 * whose checkpoint was stored.
 */
public final class CheckpointFailedException extends CairnPersistenceException {
  private final Map<String, PolicyEvent.CheckpointFailed> failures;
  private final Map<String, PolicyEvent.CheckpointTaken> taken;

  /**
   * @param failures the failed checkpoints by child id (not empty)
   * @param taken the checkpoints that were stored, by child id
   */
  public CheckpointFailedException(Map<String, PolicyEvent.CheckpointFailed> failures,
      Map<String, PolicyEvent.CheckpointTaken> taken) {
    this(copy(failures, "failures"), copy(taken, "taken"), first(failures));
  }

  private CheckpointFailedException(Map<String, PolicyEvent.CheckpointFailed> failures,
      Map<String, PolicyEvent.CheckpointTaken> taken, PolicyEvent.CheckpointFailed first) {
    super(first.persistenceId(), first.sequenceNr(), message(failures, taken), null);
    this.failures = failures;
    this.taken = taken;
  }

  /** The failed checkpoints by child id, in start order. */
  public Map<String, PolicyEvent.CheckpointFailed> failures() {
    return failures;
  }

  /** The checkpoints that were stored, by child id, in start order. */
  public Map<String, PolicyEvent.CheckpointTaken> taken() {
    return taken;
  }

  private static <V> Map<String, V> copy(Map<String, V> m, String name) {
    Objects.requireNonNull(m, "'" + name + "' must not be null");
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  private static PolicyEvent.CheckpointFailed first(Map<String, PolicyEvent.CheckpointFailed> failures) {
    Objects.requireNonNull(failures, "'failures' must not be null");
    if (failures.isEmpty()) throw new IllegalArgumentException("'failures' must not be empty, was " + failures);
    return failures.values().iterator().next();
  }

  private static String message(Map<String, PolicyEvent.CheckpointFailed> failures,
      Map<String, PolicyEvent.CheckpointTaken> taken) {
    StringBuilder sb = new StringBuilder("Checkpoint failed for ").append(failures.size()).append(" of ")
        .append(failures.size() + taken.size()).append(" persistent children:");
    failures.forEach((child, f) -> sb.append(" child '").append(child).append("' (persistence id '")
        .append(f.persistenceId()).append("', sequence number ").append(f.sequenceNr()).append("): ")
        .append(f.cause()).append(';'));
    sb.append(" each cause says why (the snapshot store could not save it, or the actor failed, restarted or stopped"
        + " first). For a snapshot store failure check the store (its directory exists and is writable, the disk is not"
        + " full, its plugin is configured); then checkpoint again. The events are still in the journal, so nothing"
        + " acknowledged is lost; the actors go on, and redo replays more events until a checkpoint succeeds.");
    return sb.toString();
  }
}
