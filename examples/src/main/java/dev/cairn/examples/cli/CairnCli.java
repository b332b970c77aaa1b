package dev.cairn.examples.cli;

import dev.cairn.persistence.backup.ArchiveCorruptException;
import dev.cairn.persistence.backup.ArchiveNotFoundException;
import dev.cairn.persistence.backup.ImportException;
import dev.cairn.persistence.backup.JournalInUseException;
import dev.cairn.persistence.backup.JournalNotFoundException;
import dev.cairn.persistence.backup.RestoreTargetNotEmptyException;
import dev.cairn.persistence.backup.UnsupportedArchiveVersionException;
import dev.cairn.persistence.leveldb.ChecksumMismatchException;
import dev.cairn.persistence.leveldb.DirectoryInUseException;
import dev.cairn.persistence.leveldb.JournalStorageException;
import dev.cairn.persistence.leveldb.SequenceGapException;
import dev.cairn.persistence.leveldb.UnknownRecordKindException;
import dev.cairn.persistence.leveldb.UnsupportedFormatVersionException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code cairn} command line: inspect, verify, back up, restore, export and import a Cairn
 * LevelDB journal. Run it with {@code ./cairn} at the repository root.
 */
@Command(
    name = "cairn",
    mixinStandardHelpOptions = true,
    versionProvider = CairnCli.Version.class,
    description = "Inspect, verify, back up, restore, export and import a Cairn journal.",
    subcommands = {
      IdsCommand.class,
      EventsCommand.class,
      StatsCommand.class,
      VerifyCommand.class,
      BackupCommand.class,
      RestoreCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      QuarantineCommand.class,
      dev.cairn.examples.demo.DemoCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done, nothing wrong",
      "1:verify found problems (each is listed)",
      "2:wrong command line",
      "3:journal directory in use by another process (is the service running?)",
      "4:directory, archive, file or persistence id not found",
      "5:corrupt data (checksum mismatch, truncated, tampered or unsafe archive)",
      "6:refused to protect data (restore target not empty, import conflict)",
      "10:any other failure"
    })
public final class CairnCli implements Runnable {

  /** Default data directory, the same as the demo service's. */
  public static final String DEFAULT_DIR = "cairn-data";

  @Option(
      names = "--dir",
      scope = ScopeType.INHERIT,
      defaultValue = DEFAULT_DIR,
      paramLabel = "<dir>",
      description = "Data directory holding journal/ and snapshots/, or a journal's LevelDB"
          + " directory itself (default: ${DEFAULT-VALUE}).")
  Path dir;

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "Print stack traces of failures.")
  boolean verbose;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
  }

  public static void main(String[] args) {
    // initialize logging before any thread logs (no SLF4J "replay" warnings on stderr)
    org.slf4j.LoggerFactory.getILoggerFactory();
    System.exit(commandLine().execute(args));
  }

  /** The command line with Cairn's exit codes and messages, printing to stdout and stderr. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new CairnCli());
    cli.setExecutionExceptionHandler(CairnCli::handle);
    cli.setExitCodeExceptionMapper(CairnCli::exitCode);
    return cli;
  }

  /** The command line printing to the given writers (tests, embedding). */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    return cli;
  }

  private static int handle(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    Throwable cause = unwrap(e);
    PrintWriter err = commandLine.getErr();
    err.println("cairn " + commandLine.getCommandName() + ": " + message(cause));
    boolean verbose = parseResult.hasMatchedOption("--verbose")
        || (parseResult.subcommand() != null
            && parseResult.subcommand().hasMatchedOption("--verbose"));
    if (verbose) cause.printStackTrace(err);
    err.flush();
    return exitCode(cause);
  }

  static Throwable unwrap(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String message(Throwable e) {
    if (e instanceof CliException || e instanceof dev.cairn.persistence.backup.BackupException
        || e instanceof JournalStorageException) {
      return e.getMessage();
    }
    return e.toString();
  }

  /** The exit code for a failure; see {@link ExitCodes}. */
  static int exitCode(Throwable e) {
    Throwable t = unwrap(e);
    if (t instanceof CliException) return ((CliException) t).exitCode();
    if (t instanceof CommandLine.ParameterException) return ExitCodes.USAGE;
    if (t instanceof JournalInUseException) return ExitCodes.IN_USE;
    if (t instanceof JournalNotFoundException || t instanceof ArchiveNotFoundException) {
      return ExitCodes.NOT_FOUND;
    }
    if (t instanceof ArchiveCorruptException || t instanceof UnsupportedArchiveVersionException) {
      return ExitCodes.CORRUPT;
    }
    if (t instanceof RestoreTargetNotEmptyException || t instanceof ImportException) {
      return ExitCodes.REFUSED;
    }
    if (t instanceof DirectoryInUseException) return ExitCodes.IN_USE;
    if (t instanceof ChecksumMismatchException || t instanceof SequenceGapException
        || t instanceof UnknownRecordKindException
        || t instanceof UnsupportedFormatVersionException) {
      return ExitCodes.CORRUPT;
    }
    if (t instanceof java.nio.file.NoSuchFileException) return ExitCodes.NOT_FOUND;
    return ExitCodes.FAILED;
  }

  /** Version from the jar manifest, when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = CairnCli.class.getPackage().getImplementationVersion();
      return new String[] {"cairn " + (v == null ? "(development build)" : v)};
    }
  }
}
