package dev.cairn.examples.cli;

import dev.cairn.persistence.backup.ProgressListener;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars on stderr for long work, one per step, shown only when stdout is a terminal:
 * piped or captured output stays clean.
 */
final class Progress implements ProgressListener, AutoCloseable {
  private final PrintStream stream;
  private ProgressBar bar;
  private String step;

  private Progress(PrintStream stream) {
    this.stream = stream;
  }

  /** Progress bars when stdout is a terminal, otherwise a listener that does nothing. */
  static Progress forTerminal() {
    return new Progress(System.console() != null ? System.err : null);
  }

  @Override
  public synchronized void onProgress(String step, long done, long total) {
    if (stream == null || (total == 0 && !step.equals(this.step))) return;
    if (!step.equals(this.step)) {
      close();
      this.step = step;
      bar = new ProgressBarBuilder()
          .setTaskName(step)
          .setInitialMax(total)
          .setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(stream))
          .continuousUpdate()
          .build();
    }
    if (total >= 0 && bar.getMax() != total) bar.maxHint(total);
    bar.stepTo(done);
  }

  @Override
  public synchronized void close() {
    if (bar != null) {
      bar.close();
      bar = null;
      step = null;
    }
  }
}
