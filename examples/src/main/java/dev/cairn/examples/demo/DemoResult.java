package dev.cairn.examples.demo;

/**
 * What a demo run did and found.
 *
 * @param run the run's number on this journal (1 for the first)
 * @param accounts accounts in the bank
 * @param expectedTotal the money the bank was opened with (sum of opening balances)
 * @param startTotal the money in the accounts when this run began
 * @param endTotal the money in the accounts at the end, plus any still in transit
 * @param inTransit money debited but not yet credited when the books were checked (0 after a clean quiesce)
 * @param quiesced whether every pending transfer was finished before the check
 * @param metrics the counters at the end
 */
public record DemoResult(int run, int accounts, long expectedTotal, long startTotal, long endTotal, long inTransit,
    boolean quiesced, Metrics.Snapshot metrics) {

  /** The invariant: total money is conserved. */
  public boolean holds() {
    return endTotal == expectedTotal && startTotal == expectedTotal;
  }

  /** The last line of the summary. */
  public String invariantLine() {
    return "Invariant: total money is conserved: " + expectedTotal + " == " + endTotal
        + (holds() ? " (HOLDS)" : " (VIOLATED)");
  }
}
