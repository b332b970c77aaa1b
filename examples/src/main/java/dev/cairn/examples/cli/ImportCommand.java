package dev.cairn.examples.cli;

import dev.cairn.persistence.backup.ImportOptions;
import dev.cairn.persistence.backup.ImportSummary;
import dev.cairn.persistence.backup.JournalImport;
import dev.cairn.persistence.backup.internal.StoreAccess;
import dev.cairn.persistence.leveldb.CairnLevelDb;
import dev.cairn.persistence.leveldb.internal.StoreOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Import a JSON Lines export into a journal through the journal plugin's own write"
          + " protocol: by default Cairn's journal in --dir (created when missing), or any"
          + " plugin given with --journal and configured with --config.",
      "Every line is checked first (and the event classes must be on the classpath: set"
          + " CAIRN_CLASSPATH for ./cairn); persistence ids that already have events in the"
          + " target are refused, and so are ids whose older events were deleted but that have no"
          + " snapshot in the file (their actors would recover a wrong state). Nothing is written"
          + " unless the whole file checks out. Snapshots go to the snapshot store before their"
          + " id's events."
    })
final class ImportCommand implements Callable<Integer> {
  @ParentCommand CairnCli root;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<file>", description = "The JSON Lines file.")
  Path file;

  @Option(names = "--journal", paramLabel = "<plugin-id>",
      defaultValue = CairnLevelDb.JOURNAL_PLUGIN_ID,
      description = "Target journal plugin id (default: ${DEFAULT-VALUE}).")
  String journal;

  @Option(names = "--config", paramLabel = "<file>",
      description = "HOCON file configuring the target plugin.")
  Path config;

  @Option(names = "--snapshot-store", paramLabel = "<plugin-id>",
      description = "Snapshot store plugin that takes the file's snapshots (default: the"
          + " configured default one, Cairn's snapshot store in --dir).")
  String snapshotStore;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "500",
      description = "Events per write request (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() {
    if (!Files.isRegularFile(file)) {
      throw new CliException(ExitCodes.NOT_FOUND, "Import file " + file + " does not exist");
    }
    Path journalDir = CliStores.layout(root.dir).journalDir();
    if (journal.equals(CairnLevelDb.JOURNAL_PLUGIN_ID) && StoreAccess.exists(journalDir)) {
      // fail fast, with the clear message, when a running service holds the journal
      StoreAccess.open(journalDir, "journal", StoreOptions.defaults()).close();
    }
    Path snapshotDir = CliStores.layout(root.dir).snapshotDir();
    if (snapshotStore == null && !snapshotDir.equals(journalDir) && StoreAccess.exists(snapshotDir)) {
      StoreAccess.open(snapshotDir, "snapshot store", StoreOptions.defaults()).close();
    }
    ImportOptions options = ImportOptions.defaults().withBatchSize(batchSize);
    if (snapshotStore != null) options = options.withSnapshotPluginId(snapshotStore);
    ImportSummary summary;
    try (Progress progress = Progress.forTerminal();
        CliSystem cli = new CliSystem(CliStores.config(root.dir, config))) {
      summary = JournalImport.importFile(cli.system, journal, file,
          options.withProgress(progress))
          .toCompletableFuture().join();
    }
    PrintWriter out = spec.commandLine().getOut();
    out.printf("Imported %d events of %d persistence ids (%d snapshots) from %s into %s%n",
        summary.events(), summary.persistenceIds(), summary.snapshots(), file,
        journal.equals(CairnLevelDb.JOURNAL_PLUGIN_ID) ? journalDir.toString() : journal);
    out.flush();
    return ExitCodes.OK;
  }
}
