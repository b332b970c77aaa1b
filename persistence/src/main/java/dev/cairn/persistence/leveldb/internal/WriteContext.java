package dev.cairn.persistence.leveldb.internal;

import java.util.HashMap;
import java.util.Map;
import org.iq80.leveldb.WriteBatch;

/**
 * State of one group commit being built: the LevelDB write batch, persistence id states
 * changed by earlier tasks of the same group, and the tag ordering counter.
 */
public final class WriteContext {
  private final LevelDbStore store;
  private final WriteBatch batch;
  /** The batch's operations for the write-ahead log, or null when the group does not go through it. */
  final WriteAheadLog.Ops ops;
  final Map<String, PersistenceIdState> pending = new HashMap<>();
  /** States of this group not written as state records (see {@link #advanceState}); null while none. */
  Map<String, PersistenceIdState> unrecorded;
  /** Persistence ids whose state record this group writes; null while none. */
  java.util.Set<String> recorded;
  long ordering;
  boolean orderingChanged;

  WriteContext(LevelDbStore store, WriteBatch batch, long ordering, boolean recordOps) {
    this.store = store;
    this.batch = batch;
    this.ordering = ordering;
    this.ops = recordOps ? new WriteAheadLog.Ops() : null;
  }

  public LevelDbStore store() {
    return store;
  }

  /** The state as of the batch being built (earlier tasks of this group included). */
  public PersistenceIdState state(String pid) {
    PersistenceIdState s = pending.get(pid);
    return s != null ? s : store.committedState(pid);
  }

  /** Sets a persistence id's state and writes its state record in this group. */
  public void setState(String pid, PersistenceIdState s) {
    pending.put(pid, s);
    if (unrecorded != null) unrecorded.remove(pid);
    recordState(pid, s);
  }

  /**
   * Sets a persistence id's state after appended events without writing its state record: the
   * store keeps it in memory and writes it at the next state flush (format version 2). Until
   * then the id's last event is its highest sequence number on disk.
   */
  public void advanceState(String pid, PersistenceIdState s) {
    pending.put(pid, s);
    if (recorded != null && recorded.contains(pid)) {
      recordState(pid, s); // already written in this group: keep the record current
      return;
    }
    if (unrecorded == null) unrecorded = new HashMap<>();
    unrecorded.put(pid, s);
  }

  void recordState(String pid, PersistenceIdState s) {
    if (recorded == null) recorded = new java.util.HashSet<>();
    recorded.add(pid);
    byte[] k = Format.persistenceIdKey(pid);
    put(k, Format.encodePersistenceIdState(k, s));
  }

  public long nextOrdering() {
    orderingChanged = true;
    return ++ordering;
  }

  public void put(byte[] key, byte[] value) {
    batch.put(key, value);
    if (ops != null) ops.put(key, value);
  }

  public void delete(byte[] key) {
    batch.delete(key);
    if (ops != null) ops.delete(key);
  }
}
