package dev.cairn.bench.journal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Persist latencies (command handled to event acknowledged), in log-linear buckets: 8 per power
 * of two of nanoseconds, so a percentile is within ~9% of the true value. Lock-free; {@link
 * #reset()} starts a measuring window.
 */
final class LatencyHistogram {
  private static final int SUB = 8;
  private final AtomicLongArray counts = new AtomicLongArray(64 * SUB);

  void record(long nanos) {
    counts.incrementAndGet(bucket(Math.max(1, nanos)));
  }

  void reset() {
    for (int i = 0; i < counts.length(); i++) counts.set(i, 0);
  }

  /** The latency below which {@code p} (0..1) of the recorded values lie, in microseconds. */
  double percentileMicros(double p) {
    long total = 0;
    for (int i = 0; i < counts.length(); i++) total += counts.get(i);
    if (total == 0) return Double.NaN;
    long rank = (long) Math.ceil(p * total);
    long seen = 0;
    for (int i = 0; i < counts.length(); i++) {
      seen += counts.get(i);
      if (seen >= rank) return upperBound(i) / 1e3;
    }
    return Double.NaN;
  }

  private static int bucket(long v) {
    int exp = 63 - Long.numberOfLeadingZeros(v); // v in [2^exp, 2^(exp+1))
    int sub = exp < 3 ? 0 : (int) ((v >>> (exp - 3)) & (SUB - 1));
    return exp * SUB + sub;
  }

  private static double upperBound(int bucket) {
    int exp = bucket / SUB;
    int sub = bucket % SUB;
    return Math.pow(2, exp) * (1 + (sub + 1) / (double) SUB);
  }
}
