package dev.cairn.persistence;

/**
 * Journal record appended by a rollback. It carries the state it returns to, so recovery stays
 * one forward pass: applying the marker replaces the state with the target state. The events
 * between {@code toSequenceNr} and the marker stay in the journal for audit but no longer count.
 *
 * @param fromSequenceNr the last sequence number before the marker (the state that was undone)
 * @param toSequenceNr the sequence number whose state the marker returns to
 * @param eventsUndone number of journal records between the target and the marker
 * @param trigger what caused the rollback ({@link RollbackTrigger} name)
 * @param reason human-readable cause (exception class and message, invariant name, ...)
 * @param timestampMillis wall-clock time of the rollback (epoch millis)
 * @param stateSerializerId Pekko serializer id of the target state
 * @param stateManifest Pekko serialization manifest of the target state
 * @param state the serialized target state
 */
public record RollbackMarker(
    long fromSequenceNr,
    long toSequenceNr,
    long eventsUndone,
    String trigger,
    String reason,
    long timestampMillis,
    int stateSerializerId,
    String stateManifest,
    byte[] state)
    implements CairnSerializable {

  @Override
  public String toString() {
    return "RollbackMarker[from=" + fromSequenceNr + ", to=" + toSequenceNr + ", undone="
        + eventsUndone + ", trigger=" + trigger + ", reason=" + reason + "]";
  }
}
