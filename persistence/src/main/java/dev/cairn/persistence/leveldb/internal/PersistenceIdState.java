package dev.cairn.persistence.leveldb.internal;

/**
 * Stored per persistence id: the highest sequence number ever written (kept after deletion)
 * and the deleted-to mark (events at or below it are deleted).
 */
public record PersistenceIdState(long highestSequenceNr, long deletedTo) {
  public static final PersistenceIdState EMPTY = new PersistenceIdState(0L, 0L);
}
