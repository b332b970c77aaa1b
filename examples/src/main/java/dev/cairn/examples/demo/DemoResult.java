package dev.cairn.examples.demo;

import java.util.List;

/**
 * What a demo run did and found.
 *
 * @param run the run's number on this journal (1 for the first)
 * @param accounts accounts in the bank
 * @param expectedTotal the money the bank was opened with (sum of opening balances)
 * @param startTotal the money in the accounts when this run began
 * @param endTotal the money in the accounts at the end, plus any still in transit
 * @param journalTotal the same sum computed by a read-only replay of every account's journal
 * @param inTransit money debited but not yet credited when the books were checked (0 after a clean quiesce)
 * @param quiesced whether every pending transfer was finished before the check
 * @param transfersBefore transfers completed on this journal by earlier runs
 * @param startBalances each account's balance when this run began (index = account)
 * @param endBalances each account's balance at the end
 * @param metrics the counters at the end
 */
public record DemoResult(int run, int accounts, long expectedTotal, long startTotal, long endTotal, long journalTotal,
    long inTransit,
    boolean quiesced, long transfersBefore, List<Long> startBalances, List<Long> endBalances, Metrics.Snapshot metrics) {

  public DemoResult {
    startBalances = List.copyOf(startBalances);
    endBalances = List.copyOf(endBalances);
  }

  /** The invariant: total money is conserved (at the start of this run, at its end, and in the journal). */
  public boolean holds() {
    return endTotal == expectedTotal && startTotal == expectedTotal && journalTotal == expectedTotal;
  }

  /** The last line of the summary. */
  public String invariantLine() {
    String prefix = "Invariant: total money is conserved: ";
    if (startTotal != expectedTotal) {
      return prefix + expectedTotal + " != " + startTotal + " at the start of this run (VIOLATED)";
    }
    if (endTotal != expectedTotal) return prefix + expectedTotal + " != " + endTotal + " (VIOLATED)";
    if (journalTotal != expectedTotal) {
      return prefix + expectedTotal + " == " + endTotal + ", but the journal replays to " + journalTotal + " (VIOLATED)";
    }
    return prefix + expectedTotal + " == " + endTotal + " (HOLDS)";
  }
}
