package dev.cairn.examples.demo;

import dev.cairn.examples.cli.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cairn demo}: runs the demo bank (see docs/demo.md). */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the demo bank: transfers between event-sourced accounts while faults are injected.",
      "",
      "Accounts are event-sourced actors with checkpoint and rollback policies under a Cairn supervision "
          + "tree; tellers move money between them while a fault injector crashes handlers, stalls an account "
          + "(hang detection), injects invariant-violating events (rollback) and, with --poison, a poison event "
          + "(quarantine). At the end the bank finishes pending transfers and checks that total money is "
          + "conserved. Running it again continues from the journal in --dir (logs go to demo.log there). "
          + "See docs/demo.md.",
      ""
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:total money is conserved",
      "1:total money is NOT conserved (the summary says by how much)",
      "2:wrong command line",
      "3:the data directory is in use by another process",
      "10:any other failure"
    })
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--duration", defaultValue = "20s", paramLabel = "<time>", converter = DurationConverter.class,
      description = "How long transfers and faults run, e.g. 20s, 2m, 1m30s (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(names = "--accounts", defaultValue = "100", paramLabel = "<n>",
      description = "Accounts of a new bank (default: ${DEFAULT-VALUE}); a bank continued from its journal keeps its own.")
  int accounts;

  @Option(names = "--tellers", defaultValue = "8", paramLabel = "<n>",
      description = "Transfers running at once, one per teller (default: ${DEFAULT-VALUE}).")
  int tellers;

  @Option(names = "--seed", defaultValue = "42", paramLabel = "<n>",
      description = "Seed of the transfers and faults (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--poison",
      description = "Also inject one poison event: written, unreadable on redo, skipped and quarantined.")
  boolean poison;

  @Option(names = "--fault-interval", defaultValue = "200ms", paramLabel = "<time>", converter = DurationConverter.class,
      description = "Time between two injected faults (default: ${DEFAULT-VALUE}).")
  Duration faultInterval;

  @Option(names = "--keep-logging", hidden = true,
      description = "Keep the current logging configuration instead of logging to demo.log (tests).")
  boolean keepLogging;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    DemoOptions options;
    try {
      options = new DemoOptions(duration, accounts, tellers, seed, dataDir(), poison, faultInterval, !keepLogging);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    DemoResult result = BankDemo.run(options, out, StatusLine.stdoutIsTerminal());
    return result.holds() ? ExitCodes.OK : ExitCodes.PROBLEMS_FOUND;
  }

  /** {@code --dir}, inherited from the {@code cairn} command (default {@code cairn-data}). */
  private Path dataDir() {
    OptionSpec dir = spec.findOption("--dir");
    Object value = dir == null ? null : dir.getValue();
    return value instanceof Path p ? p : Path.of(value == null ? "cairn-data" : value.toString());
  }

  /** Parses 20s, 2m, 1m30s, 500ms, 1h, or an ISO-8601 duration (PT20S). */
  public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      if (v.startsWith("pt")) return Duration.parse(value.trim().toUpperCase(Locale.ROOT));
      Matcher m = PART.matcher(v);
      Duration d = Duration.ZERO;
      int end = 0;
      while (m.find() && m.start() == end) {
        long n = Long.parseLong(m.group(1));
        d = d.plus(switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        });
        end = m.end();
      }
      if (end == 0 || end != v.length()) {
        throw new CommandLine.TypeConversionException("'" + value + "' is not a duration; use e.g. 20s, 2m, 1m30s or 500ms");
      }
      return d;
    }
  }
}
