package dev.cairn.persistence.leveldb.internal;

import java.util.List;

/**
 * One checksum-verified event record as stored. {@code kind} is {@link RecordKind#EVENT} or
 * {@link RecordKind#REJECTED} (a marker keeping sequence numbers contiguous, with no payload).
 * {@code deleted} is true for a record at or below the persistence id's deleted-to mark that
 * has not been physically removed yet. {@code manifest} is the serializer's manifest,
 * {@code adapterManifest} the event adapter manifest of the {@code PersistentRepr} ("" if none).
 */
public record EventRecord(
    RecordKind kind,
    String persistenceId,
    long sequenceNr,
    String writerUuid,
    long timestamp,
    long ordering,
    int serializerId,
    String manifest,
    byte[] payload,
    List<String> tags,
    boolean deleted,
    String adapterManifest) {

  public boolean rejected() {
    return kind == RecordKind.REJECTED;
  }
}
