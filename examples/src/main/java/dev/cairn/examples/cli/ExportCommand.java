package dev.cairn.examples.cli;

import com.typesafe.config.ConfigFactory;
import dev.cairn.persistence.backup.ExportOptions;
import dev.cairn.persistence.backup.ExportSummary;
import dev.cairn.persistence.backup.JournalExport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export events as JSON Lines: one event per line, grouped per persistence id in sequence"
          + " number order, payloads decoded to JSON, each id preceded by its newest snapshot"
          + " and, when its older events were deleted, a 'deleted' line. 'cairn import' (or"
          + " JournalImport) writes them into any Pekko journal plugin.",
      "By default reads Cairn's journal in --dir directly (keeping tags and writer uuids; the"
          + " event classes need not be on the classpath). With --read-journal it goes through"
          + " that Persistence Query plugin, configured by --config."
    })
final class ExportCommand implements Callable<Integer> {
  @ParentCommand CairnCli root;
  @Spec CommandSpec spec;

  @Option(names = "--out", paramLabel = "<file>",
      description = "Write to this new file instead of standard output.")
  Path outFile;

  @Option(names = "--id", paramLabel = "<id>",
      description = "Export only this persistence id (repeatable; default: all ids).")
  List<String> ids = new ArrayList<>();

  @Option(names = "--read-journal", paramLabel = "<plugin-id>",
      description = "Export through this read journal plugin (e.g."
          + " cairn.persistence.query.leveldb) instead of reading the directory.")
  String readJournal;

  @Option(names = "--snapshot-store", paramLabel = "<plugin-id>",
      description = "With --read-journal: load each id's newest snapshot from this snapshot"
          + " store plugin (e.g. cairn.persistence.snapshot-store.leveldb). Without"
          + " --read-journal the snapshots are read from the snapshot directory of --dir.")
  String snapshotStore;

  @Option(names = "--no-snapshots",
      description = "Leave snapshots out. Ids whose older events were deleted then cannot be"
          + " imported.")
  boolean noSnapshots;

  @Option(names = "--config", paramLabel = "<file>",
      description = "HOCON file configuring the plugins (with --read-journal).")
  Path config;

  @Override
  public Integer call() throws Exception {
    if (snapshotStore != null && readJournal == null) {
      throw new CliException(ExitCodes.USAGE, "--snapshot-store goes with --read-journal;"
          + " without it the snapshots are read from the snapshot directory of --dir");
    }
    if (outFile != null && Files.exists(outFile)) {
      throw new CliException(ExitCodes.REFUSED, "Output file " + outFile
          + " already exists; choose another name or remove it first");
    }
    ExportSummary summary;
    try (Progress progress = Progress.forTerminal();
        Writer out = open()) {
      ExportOptions options = ExportOptions.defaults().withPersistenceIds(ids)
          .withProgress(progress).withSnapshots(!noSnapshots);
      if (snapshotStore != null) options = options.withSnapshotPluginId(snapshotStore);
      if (readJournal == null) {
        summary = JournalExport.exportStore(CliStores.layout(root.dir),
            config == null ? ConfigFactory.load() : CliStores.config(root.dir, config), out,
            options);
      } else {
        try (CliSystem cli = new CliSystem(CliStores.config(root.dir, config))) {
          summary = JournalExport.export(cli.system, readJournal, out, options)
              .toCompletableFuture().join();
        }
      }
    }
    // with the events on standard output, the summary goes to standard error
    PrintWriter report = outFile == null ? spec.commandLine().getErr()
        : spec.commandLine().getOut();
    report.printf("Exported %d events of %d persistence ids (%d snapshots)%s%n",
        summary.events(), summary.persistenceIds(), summary.snapshots(),
        outFile == null ? "" : " to " + outFile);
    report.flush();
    return ExitCodes.OK;
  }

  private Writer open() throws IOException {
    if (outFile == null) {
      PrintWriter stdout = spec.commandLine().getOut();
      return new java.io.FilterWriter(stdout) {
        @Override
        public void close() {
          stdout.flush(); // standard output stays open
        }
      };
    }
    try {
      return Files.newBufferedWriter(outFile, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException e) {
      throw new CliException(ExitCodes.REFUSED, "Output file " + outFile + " already exists");
    }
  }
}
