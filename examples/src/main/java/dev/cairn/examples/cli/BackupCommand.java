package dev.cairn.examples.cli;

import dev.cairn.persistence.backup.BackupManifest;
import dev.cairn.persistence.backup.BackupOptions;
import dev.cairn.persistence.backup.CairnBackup;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = {
      "Write a consistent backup of the journal and snapshot store to one new archive file"
          + " (a zip with a manifest and a SHA-256 checksum per entry).",
      "The journal must not be in use by a running service; a service backs itself up online"
          + " with the CairnBackup API."
    })
final class BackupCommand implements Callable<Integer> {
  @ParentCommand CairnCli root;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<archive>", description = "The archive to create.")
  Path archive;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    BackupManifest m;
    try (Progress progress = Progress.forTerminal()) {
      m = CairnBackup.backup(CliStores.layout(root.dir), archive,
          BackupOptions.defaults().withProgress(progress));
    }
    out.printf("Backed up %d persistence ids, %d events, %d snapshots from %s to %s (%s)%n",
        m.persistenceIds().size(), m.totalEvents(), m.totalSnapshots(), root.dir, archive,
        StatsCommand.human(Files.size(archive)));
    out.flush();
    return ExitCodes.OK;
  }
}
