package dev.cairn.examples.demo;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The live status: one line rewritten in place with {@code \r} when the output is a terminal (kept
 * narrower than the terminal, since a wrapped line cannot be rewritten), otherwise a plain line
 * every few seconds so that logs and pipes stay readable.
 */
final class StatusLine {
  private final PrintWriter out;
  private final boolean terminal;
  private final int columns;
  private long lastTransfers;
  private long lastNanos = System.nanoTime();
  private double rate;
  private int width;

  StatusLine(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
    this.columns = terminal ? terminalColumns() : Integer.MAX_VALUE;
  }

  /** How often {@link #update} should be called. */
  long periodMillis() {
    return terminal ? 250 : 2_000;
  }

  void update(Duration elapsed, Duration total, Metrics.Snapshot m) {
    long now = System.nanoTime();
    double secs = (now - lastNanos) / 1e9;
    if (secs >= 0.9) {
      rate = (m.transfers() - lastTransfers) / secs;
      lastTransfers = m.transfers();
      lastNanos = now;
    }
    String time = String.format("[%5s/%s]", BankDemo.format(elapsed), BankDemo.format(total));
    String line = String.format("%s transfers %,d (%,.0f/s) | faults injected %d | restarts %d | hangs %d"
            + " | rollbacks %d | recoveries %d | quarantined %d", time, m.transfers(), rate, m.failuresInjected(),
        m.restarts(), m.hangs(), m.rollbacks(), m.recoveries(), m.quarantined());
    if (!terminal) {
      out.println(line);
      out.flush();
      return;
    }
    if (line.length() >= columns) {
      line = String.format("%s %,.0f transfers/s | %d faults | %d restarts | %d rollbacks | %d recoveries", time, rate,
          m.failuresInjected(), m.restarts(), m.rollbacks(), m.recoveries());
    }
    if (line.length() >= columns) line = line.substring(0, Math.max(0, columns - 1));
    String padded = line.length() < width ? line + " ".repeat(width - line.length()) : line;
    width = line.length();
    out.print("\r" + padded);
    out.flush();
  }

  /** Ends the in-place line. */
  void finish() {
    if (terminal) {
      out.println();
      out.flush();
    }
  }

  /** Whether standard output is an interactive terminal (JDK 22+ returns a console even when redirected). */
  static boolean stdoutIsTerminal() {
    Console console = System.console();
    if (console == null) return false;
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // before JDK 22, a console exists only for a terminal
    }
  }

  /** The terminal's width: $COLUMNS, else {@code stty size}, else 80. */
  private static int terminalColumns() {
    try {
      String env = System.getenv("COLUMNS");
      if (env != null) return Integer.parseInt(env.trim());
    } catch (NumberFormatException e) {
      // fall through
    }
    try {
      Process p = new ProcessBuilder("sh", "-c", "stty size < /dev/tty").redirectErrorStream(true).start();
      if (p.waitFor(1, TimeUnit.SECONDS)) {
        String[] parts = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split("\\s+");
        if (parts.length == 2) return Integer.parseInt(parts[1]);
      } else {
        p.destroy();
      }
    } catch (Exception e) {
      // no stty: assume a classic terminal
    }
    return 80;
  }
}
