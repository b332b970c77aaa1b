package dev.cairn.persistence.leveldb.internal;

import java.util.List;

/** Result of a full {@link LevelDbStore#verify()} scan: counts and EVERY problem found. */
public record VerifyReport(
    long persistenceIds, long events, long snapshots, long tagEntries, List<VerifyProblem> problems) {
  public boolean ok() {
    return problems.isEmpty();
  }
}
