package dev.cairn.persistence.backup.internal;

import dev.cairn.persistence.backup.PersistenceIdSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** INTERNAL API. Accumulates the per persistence id summary of a backup while it streams. */
public final class StoreStats {
  private static final class Counts {
    long events;
    long highestSeqNr;
    long snapshots;
    long highestSnapshotSeqNr;
    long deletedTo;
  }

  private final TreeMap<String, Counts> byId = new TreeMap<>();

  private Counts of(String persistenceId) {
    return byId.computeIfAbsent(persistenceId, k -> new Counts());
  }

  public void event(String persistenceId, long seqNr) {
    Counts c = of(persistenceId);
    c.events++;
    c.highestSeqNr = Math.max(c.highestSeqNr, seqNr);
  }

  /** A highest sequence number kept by the journal (also after deletions). */
  public void highestSeqNr(String persistenceId, long seqNr) {
    Counts c = of(persistenceId);
    c.highestSeqNr = Math.max(c.highestSeqNr, seqNr);
  }

  /** The journal's deleted-to mark of an id (events at or below it are deleted). */
  public void deletedTo(String persistenceId, long seqNr) {
    Counts c = of(persistenceId);
    c.deletedTo = Math.max(c.deletedTo, seqNr);
  }

  /**
   * Ids whose events are deleted beyond their newest snapshot in the backup: they could not be
   * recovered from it. Happens only when a snapshot and the deletion of the events before it
   * land between the snapshot store's read snapshot and the journal's.
   */
  public List<String> unrecoverable() {
    List<String> out = new ArrayList<>();
    byId.forEach((id, c) -> {
      if (c.deletedTo > 0 && c.highestSnapshotSeqNr < c.deletedTo) {
        out.add(id + " (events deleted up to " + c.deletedTo + ", newest snapshot "
            + c.highestSnapshotSeqNr + ")");
      }
    });
    return out;
  }

  public void snapshot(String persistenceId, long seqNr) {
    Counts c = of(persistenceId);
    c.snapshots++;
    c.highestSnapshotSeqNr = Math.max(c.highestSnapshotSeqNr, seqNr);
  }

  public List<PersistenceIdSummary> summaries() {
    List<PersistenceIdSummary> out = new ArrayList<>(byId.size());
    byId.forEach((id, c) -> out.add(new PersistenceIdSummary(
        id, c.events, c.highestSeqNr, c.snapshots, c.highestSnapshotSeqNr)));
    return out;
  }
}
