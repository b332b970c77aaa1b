package dev.cairn.persistence;

import java.time.Duration;
import java.util.Optional;

/**
 * What the policy layer publishes: to the listeners given with
 * {@link EventSourcedActor#withEventListener} and to the actor system's event stream (subscribe to
 * {@code PolicyEvent.class}). Each {@code toString()} reads as a sentence.
 */
public sealed interface PolicyEvent {

  String persistenceId();

  /**
   * The reply to {@link PolicyCommand.TakeCheckpoint}: the checkpoint was stored
   * ({@link CheckpointTaken}) or storing it failed ({@link CheckpointFailed}). Both are also
   * published like every other policy event, except the {@code CheckpointFailed} a requester gets
   * when the actor fails, restarts or stops before the save was confirmed: that reply is not
   * published (no save failed; the stop or restart is reported on its own).
   */
  sealed interface CheckpointOutcome extends PolicyEvent permits CheckpointTaken, CheckpointFailed {

    /** The sequence number the checkpoint was (or was to be) taken at. */
    long sequenceNr();
  }

  /** A checkpoint was stored. */
  record CheckpointTaken(String persistenceId, long sequenceNr, Duration duration, long sizeBytes, String reason)
      implements CheckpointOutcome {
    @Override
    public String toString() {
      return "Checkpoint of '" + persistenceId + "' at sequence number " + sequenceNr + " taken (" + reason
          + ", " + sizeBytes + " bytes, " + duration.toMillis() + " ms)";
    }
  }

  /**
   * Storing a checkpoint failed (the snapshot store refused or failed the save); the actor goes on
   * and its events are still in the journal, so nothing is lost: redo just replays more of them.
   * Also the reply to a {@link PolicyCommand.TakeCheckpoint} whose actor failed (e.g. the journal
   * write of its {@link dev.cairn.persistence.CheckpointRequested} record failed), restarted or
   * stopped before the save was confirmed; {@code cause} then says so.
   */
  record CheckpointFailed(String persistenceId, long sequenceNr, String cause) implements CheckpointOutcome {
    @Override
    public String toString() {
      return "Checkpoint of '" + persistenceId + "' at sequence number " + sequenceNr + " failed: " + cause;
    }
  }

  /**
   * A checkpoint could not be read during redo (or the snapshot store failed to load one:
   * {@code unreadableSequenceNr} is then -1); redo starts again from the newest checkpoint at or
   * below {@code fallbackAtOrBelow}, or from a full replay when that is empty.
   */
  record CheckpointFallback(String persistenceId, long unreadableSequenceNr, Optional<Long> fallbackAtOrBelow,
      String cause) implements PolicyEvent {
    @Override
    public String toString() {
      return (unreadableSequenceNr >= 0
              ? "Checkpoint of '" + persistenceId + "' at sequence number " + unreadableSequenceNr + " unreadable"
              : "Loading a checkpoint of '" + persistenceId + "' failed")
          + " (" + cause + "), falling back to "
          + fallbackAtOrBelow.map(s -> "a checkpoint at or below sequence number " + s).orElse("a full replay");
    }
  }

  /** Redo finished. */
  record Recovered(String persistenceId, Optional<Long> checkpointUsed, long eventsReplayed, long sequenceNr,
      Duration duration, int fallbacks) implements PolicyEvent {
    @Override
    public String toString() {
      return "'" + persistenceId + "' recovered to sequence number " + sequenceNr + " from "
          + checkpointUsed.map(s -> "checkpoint " + s).orElse("no checkpoint") + " and " + eventsReplayed
          + " replayed events in " + duration.toMillis() + " ms" + (fallbacks > 0 ? " after " + fallbacks + " fallback(s)" : "");
    }
  }

  /** A rollback marker was appended. */
  record RolledBack(String persistenceId, long fromSequenceNr, long toSequenceNr, long eventsUndone,
      RollbackTrigger trigger, String reason, long markerSequenceNr) implements PolicyEvent {
    @Override
    public String toString() {
      return "'" + persistenceId + "' rolled back from sequence number " + fromSequenceNr + " to " + toSequenceNr
          + " (" + eventsUndone + " events undone, " + trigger + ": " + reason + ")";
    }
  }

  /** A rollback was refused; nothing changed. */
  record RollbackWasRefused(String persistenceId, RollbackTarget target, String cause) implements PolicyEvent {
    @Override
    public String toString() {
      return "Rollback of '" + persistenceId + "' to " + target + " refused: " + cause;
    }
  }

  /** A poison event was skipped and a quarantine record written. */
  record EventQuarantined(String persistenceId, QuarantineRecord record) implements PolicyEvent {
    @Override
    public String toString() {
      return record.toString();
    }
  }
}
