package dev.cairn.examples.demo;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * The live status: one line rewritten in place with {@code \r} when the output is a terminal,
 * otherwise a plain line every few seconds (logs and pipes stay readable).
 */
final class StatusLine {
  private final PrintWriter out;
  private final boolean terminal;
  private long lastTransfers;
  private long lastNanos = System.nanoTime();
  private double rate;
  private int width;

  StatusLine(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** How often {@link #update} should be called. */
  long periodMillis() {
    return terminal ? 250 : 2_000;
  }

  void update(Duration elapsed, Duration total, Metrics.Snapshot m) {
    long now = System.nanoTime();
    double secs = (now - lastNanos) / 1e9;
    if (secs >= 0.9 || lastTransfers == 0) {
      rate = secs > 0 ? (m.transfers() - lastTransfers) / secs : 0;
      lastTransfers = m.transfers();
      lastNanos = now;
    }
    String line = String.format("[%5s/%s] transfers %,d (%,.0f/s) | faults injected %d | restarts %d | hangs %d"
            + " | rollbacks %d | recoveries %d | quarantined %d",
        BankDemo.format(elapsed), BankDemo.format(total), m.transfers(), rate, m.failuresInjected(), m.restarts(),
        m.hangs(), m.rollbacks(), m.recoveries(), m.quarantined());
    if (terminal) {
      String padded = line.length() < width ? line + " ".repeat(width - line.length()) : line;
      width = line.length();
      out.print("\r" + padded);
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** Ends the in-place line. */
  void finish() {
    if (terminal) {
      out.println();
      out.flush();
    }
  }
}
