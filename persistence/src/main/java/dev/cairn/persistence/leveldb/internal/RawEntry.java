package dev.cairn.persistence.leveldb.internal;

/** One raw LevelDB key/value pair, for backup and restore. */
public record RawEntry(byte[] key, byte[] value) {}
