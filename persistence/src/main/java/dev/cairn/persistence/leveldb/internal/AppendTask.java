package dev.cairn.persistence.leveldb.internal;

import dev.cairn.persistence.leveldb.SequenceGapException;
import dev.cairn.persistence.leveldb.SequenceNumberConflictException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends the events of one journal write request (one actor's {@code WriteMessages}): a list
 * of atomic groups whose records are already encoded and sealed. All groups go into the same
 * LevelDB write batch, so each persist call is atomic. A group whose first sequence number
 * would leave a hole after the highest stored one fails the whole request with
 * {@link SequenceGapException} before anything is written.
 *
 * <p>A group whose first sequence number is at or below the highest stored one (another writer
 * wrote those sequence numbers) is refused alone with {@link SequenceNumberConflictException}:
 * nothing of it is written (the stored events are kept), and neither are the later groups of
 * the same persistence id in this request (they follow the refused one and come from the same
 * writer); they get the same exception. The other groups are written. {@link #failures()} tells
 * which groups were refused; when every group is refused the task fails with the first conflict.
 */
public final class AppendTask extends WriteTask {
  /** One encoded record (an EVENT or a REJECTED marker). */
  public record Record(long sequenceNr, byte[] key, byte[] value, List<String> tags) {}

  /** The records of one atomic write (one persist or persistAll call). */
  public record AtomicGroup(String persistenceId, List<Record> records) {}

  private final List<AtomicGroup> groups;
  private final long bytes;
  private final String[] pids;
  private SequenceNumberConflictException[] failures; // per group; null when none was refused

  public AppendTask(List<AtomicGroup> groups, boolean sync) {
    super(sync);
    this.groups = groups;
    long b = 0;
    for (AtomicGroup g : groups) for (Record r : g.records()) b += r.key().length + r.value().length;
    this.bytes = b;
    String[] pids;
    if (groups.size() == 1) {
      pids = new String[] {groups.get(0).persistenceId()};
    } else {
      java.util.LinkedHashSet<String> set = new java.util.LinkedHashSet<>();
      for (AtomicGroup g : groups) set.add(g.persistenceId());
      pids = set.toArray(new String[0]);
    }
    this.pids = pids;
  }

  @Override
  String[] appendedPersistenceIds() {
    return pids;
  }

  @Override
  protected long estimatedBytes() {
    return bytes;
  }

  @Override
  protected void prepare(WriteContext ctx) {
    // 1. validate against the state as of this batch, touching nothing
    Map<String, PersistenceIdState> local = new HashMap<>();
    Map<String, SequenceNumberConflictException> conflicted = null;
    SequenceNumberConflictException[] refused = null;
    int written = 0;
    for (int i = 0; i < groups.size(); i++) {
      AtomicGroup g = groups.get(i);
      if (g.records().isEmpty()) continue;
      String pid = g.persistenceId();
      SequenceNumberConflictException earlier = conflicted == null ? null : conflicted.get(pid);
      if (earlier != null) {
        refused[i] = earlier;
        continue;
      }
      PersistenceIdState st = local.get(pid);
      if (st == null) st = ctx.state(pid);
      long first = g.records().get(0).sequenceNr();
      long last = g.records().get(g.records().size() - 1).sequenceNr();
      if (first <= st.highestSequenceNr()) {
        // never overwrite a stored (acknowledged) event
        SequenceNumberConflictException e = new SequenceNumberConflictException(pid, first, last, st.highestSequenceNr(),
            Format.location(ctx.store().directory().toString(), Format.eventKey(pid, first)));
        if (conflicted == null) {
          conflicted = new HashMap<>();
          refused = new SequenceNumberConflictException[groups.size()];
        }
        conflicted.put(pid, e);
        refused[i] = e;
        continue;
      }
      if (first > st.highestSequenceNr() + 1) {
        throw new SequenceGapException(pid, st.highestSequenceNr() + 1, first,
            Format.location(ctx.store().directory().toString(), Format.eventKey(pid, st.highestSequenceNr() + 1))
                + " (write refused)");
      }
      local.put(pid, new PersistenceIdState(Math.max(st.highestSequenceNr(), last), st.deletedTo()));
      written++;
    }
    if (refused != null && written == 0) {
      for (SequenceNumberConflictException e : refused) if (e != null) throw e;
    }
    failures = refused;
    // 2. apply
    for (int i = 0; i < groups.size(); i++) {
      if (refused != null && refused[i] != null) continue;
      AtomicGroup g = groups.get(i);
      for (Record r : g.records()) {
        ctx.put(r.key(), r.value());
        for (String tag : r.tags()) {
          byte[] tk = Format.tagKey(tag, ctx.nextOrdering());
          ctx.put(tk, Format.encodeTagEntry(tk, g.persistenceId(), r.sequenceNr()));
        }
      }
    }
    // the state record is written with an id's first events (so it is listed from then on);
    // later appends only advance it in memory until the store's next state flush
    for (Map.Entry<String, PersistenceIdState> e : local.entrySet()) {
      PersistenceIdState before = ctx.state(e.getKey());
      if (before.highestSequenceNr() == 0L && before.deletedTo() == 0L) ctx.setState(e.getKey(), e.getValue());
      else ctx.advanceState(e.getKey(), e.getValue());
    }
  }

  /**
   * After the future completed normally: per group (in order), the conflict that refused it, or
   * null for a written group; empty when every group was written.
   */
  public List<SequenceNumberConflictException> failures() {
    SequenceNumberConflictException[] f = failures;
    return f == null ? List.of() : Arrays.asList(f);
  }

  /** The first refused group's conflict, or null when every group was written. */
  public SequenceNumberConflictException firstFailure() {
    SequenceNumberConflictException[] f = failures;
    if (f != null) for (SequenceNumberConflictException e : f) if (e != null) return e;
    return null;
  }

  /** Encodes one event record for {@link AtomicGroup}. */
  public static Record event(String pid, long seqNr, long timestamp, int serializerId, String manifest,
      String adapterManifest, String writerUuid, List<String> tags, byte[] payload) {
    byte[] k = Format.eventKey(pid, seqNr);
    return new Record(seqNr, k, Format.encodeEvent(k, RecordKind.EVENT, timestamp, serializerId, manifest,
        adapterManifest, writerUuid, tags, payload), tags);
  }

  /** Encodes a marker for a rejected event, which keeps sequence numbers contiguous. */
  public static Record rejected(String pid, long seqNr, long timestamp, String writerUuid) {
    byte[] k = Format.eventKey(pid, seqNr);
    return new Record(seqNr, k, Format.encodeEvent(k, RecordKind.REJECTED, timestamp, 0, "", "", writerUuid, List.of(), new byte[0]), List.of());
  }
}
