package dev.cairn.persistence.leveldb.internal;

/** One checksum-verified snapshot as stored. */
public record SnapshotRecord(
    String persistenceId, long sequenceNr, long timestamp, int serializerId, String manifest, byte[] payload) {}
