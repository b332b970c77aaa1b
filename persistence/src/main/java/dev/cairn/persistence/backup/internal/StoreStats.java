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
