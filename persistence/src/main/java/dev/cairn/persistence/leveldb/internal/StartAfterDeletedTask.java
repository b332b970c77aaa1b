package dev.cairn.persistence.leveldb.internal;

import dev.cairn.persistence.leveldb.JournalStorageException;

/**
 * Gives a persistence id with nothing stored the state of one whose events 1..{@code deletedTo}
 * were written and deleted: highest sequence number and deleted-to mark both {@code deletedTo}
 * (the same state record {@link DeleteEventsTask} leaves), so replay, verify, the highest
 * sequence number and the read journal treat it exactly like an id whose actor deleted that
 * prefix, and the next append must be {@code deletedTo + 1}. Used by import
 * ({@link ImportProtocol.StartAfterDeleted}).
 */
final class StartAfterDeletedTask extends WriteTask {
  private final String pid;
  private final long deletedTo;

  StartAfterDeletedTask(String pid, long deletedTo, boolean sync) {
    super(sync);
    if (deletedTo < 1) {
      throw new IllegalArgumentException("'deletedTo' must be >= 1, was [" + deletedTo + "]");
    }
    this.pid = pid;
    this.deletedTo = deletedTo;
  }

  @Override
  String[] appendedPersistenceIds() {
    return new String[] {pid}; // raises the highest sequence number: readers wait for it
  }

  @Override
  protected long estimatedBytes() {
    return 64;
  }

  @Override
  protected void prepare(WriteContext ctx) {
    PersistenceIdState st = ctx.state(pid);
    PersistenceIdState target = new PersistenceIdState(deletedTo, deletedTo);
    if (st.equals(target)) return;
    if (!st.equals(PersistenceIdState.EMPTY)) {
      throw new JournalStorageException("Persistence id [" + pid + "] cannot start after deleted"
          + " events up to sequence number [" + deletedTo + "]: it already has highest sequence"
          + " number [" + st.highestSequenceNr() + "] and deleted-to mark [" + st.deletedTo()
          + "] in directory " + ctx.store().directory() + ". Import only into a journal without"
          + " this id; nothing was written");
    }
    ctx.setState(pid, target);
  }
}
