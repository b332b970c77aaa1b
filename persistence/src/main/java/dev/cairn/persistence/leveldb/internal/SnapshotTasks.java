package dev.cairn.persistence.leveldb.internal;

import java.util.List;

/** Write tasks of the snapshot store. */
public final class SnapshotTasks {
  private SnapshotTasks() {}

  /** Saves (or overwrites) a snapshot; with {@code keep > 0} deletes all but the newest {@code keep}. */
  public static final class Save extends WriteTask {
    private final String pid;
    private final long seqNr;
    private final byte[] key;
    private final byte[] value;
    private final int keep;

    public Save(String pid, long seqNr, long timestamp, int serializerId, String manifest, byte[] payload, int keep, boolean sync) {
      super(sync);
      this.pid = pid;
      this.seqNr = seqNr;
      this.key = Format.snapshotKey(pid, seqNr);
      this.value = Format.encodeSnapshot(key, timestamp, serializerId, manifest, payload);
      this.keep = keep;
    }

    @Override
    protected long estimatedBytes() {
      return key.length + value.length;
    }

    @Override
    protected void prepare(WriteContext ctx) {
      ctx.put(key, value);
      if (keep > 0) {
        List<RawEntry> existing = ctx.store().snapshotEntries(pid, 0L, Long.MAX_VALUE);
        long newer = existing.stream().filter(e -> Format.keyNumber(e.key()) > seqNr).count();
        int kept = 1 + (int) newer;
        for (int i = existing.size() - 1; i >= 0; i--) {
          long s = Format.keyNumber(existing.get(i).key());
          if (s >= seqNr) continue;
          if (kept >= keep) ctx.delete(existing.get(i).key());
          else kept++;
        }
      }
    }
  }

  /** Deletes the snapshots of {@code pid} matching sequence number and timestamp bounds (inclusive). */
  public static final class DeleteMatching extends WriteTask {
    private final String pid;
    private final long minSeqNr;
    private final long maxSeqNr;
    private final long minTimestamp;
    private final long maxTimestamp;

    public DeleteMatching(String pid, long minSeqNr, long maxSeqNr, long minTimestamp, long maxTimestamp, boolean sync) {
      super(sync);
      this.pid = pid;
      this.minSeqNr = minSeqNr;
      this.maxSeqNr = maxSeqNr;
      this.minTimestamp = minTimestamp;
      this.maxTimestamp = maxTimestamp;
    }

    @Override
    protected long estimatedBytes() {
      return 64;
    }

    @Override
    protected void prepare(WriteContext ctx) {
      for (RawEntry e : ctx.store().snapshotEntries(pid, minSeqNr, maxSeqNr)) {
        boolean readable = Format.checksumOk(e.key(), e.value());
        // a damaged snapshot's timestamp is unknown: the sequence number bounds decide
        long ts = readable ? Format.snapshotTimestamp(e.value()) : minTimestamp;
        if (!readable || (ts >= minTimestamp && ts <= maxTimestamp)) ctx.delete(e.key());
      }
    }
  }
}
