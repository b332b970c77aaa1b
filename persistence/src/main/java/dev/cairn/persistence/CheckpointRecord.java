package dev.cairn.persistence;

import java.util.List;

/**
 * What Cairn stores in the snapshot store for a checkpoint: the user state serialized with its
 * own Pekko serializer, plus the sequence numbers of the previous retained checkpoints.
 * Keeping the state as nested bytes lets Cairn detect an unreadable state and fall back to an
 * older checkpoint instead of failing.
 *
 * @param sequenceNr the sequence number the checkpoint covers
 * @param timestampMillis when it was taken (epoch millis)
 * @param previousCheckpoints sequence numbers of older retained checkpoints, oldest first
 * @param stateSerializerId Pekko serializer id of the state
 * @param stateManifest Pekko serialization manifest of the state
 * @param state the serialized state
 */
public record CheckpointRecord(
    long sequenceNr,
    long timestampMillis,
    List<Long> previousCheckpoints,
    int stateSerializerId,
    String stateManifest,
    byte[] state)
    implements CairnSerializable {

  @Override
  public String toString() {
    return "CheckpointRecord[seqNr=" + sequenceNr + ", size=" + state.length + "]";
  }
}
