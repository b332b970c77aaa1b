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

  public void setState(String pid, PersistenceIdState s) {
    pending.put(pid, s);
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
