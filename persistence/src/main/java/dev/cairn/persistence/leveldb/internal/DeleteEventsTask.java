package dev.cairn.persistence.leveldb.internal;

/**
 * Deletes the events of a persistence id up to a sequence number: raises its deleted-to mark
 * (never above the highest written, which is kept) and removes the records, in one batch.
 */
public final class DeleteEventsTask extends WriteTask {
  private final String pid;
  private final long toSeqNr;

  public DeleteEventsTask(String pid, long toSeqNr, boolean sync) {
    super(sync);
    this.pid = pid;
    this.toSeqNr = toSeqNr;
  }

  @Override
  protected long estimatedBytes() {
    return 64;
  }

  @Override
  protected void prepare(WriteContext ctx) {
    PersistenceIdState st = ctx.state(pid);
    long newDeletedTo = Math.max(st.deletedTo(), Math.min(toSeqNr, st.highestSequenceNr()));
    if (newDeletedTo == st.deletedTo()) return;
    byte[] prefix = Format.prefix(KeyKind.EVENT, pid);
    for (long s = st.deletedTo() + 1; s <= newDeletedTo; s++) ctx.delete(Format.numberedKey(prefix, s));
    ctx.setState(pid, new PersistenceIdState(st.highestSequenceNr(), newDeletedTo));
  }
}
