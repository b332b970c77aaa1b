package dev.cairn.examples.cli;

import dev.cairn.persistence.backup.BackupManifest;
import dev.cairn.persistence.backup.BackupOptions;
import dev.cairn.persistence.backup.CairnBackup;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    description = {
      "Restore a backup archive into a new or empty data directory <target-dir> (it gets"
          + " journal/ and snapshots/).",
      "The whole archive is checked first (entries, links, sizes, every checksum); nothing is"
          + " written unless it is intact. The data is built in a temporary directory next to"
          + " <target-dir> and renamed into place when complete. A non-empty <target-dir> is"
          + " refused. --dir is not used."
    })
final class RestoreCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "<archive>", description = "The backup archive.")
  Path archive;

  @Parameters(index = "1", paramLabel = "<target-dir>",
      description = "Target data directory; must not exist or be empty.")
  Path target;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    BackupManifest m;
    try (Progress progress = Progress.forTerminal()) {
      m = CairnBackup.restore(archive, target, BackupOptions.defaults().withProgress(progress));
    }
    out.printf("Restored %d persistence ids, %d events, %d snapshots from %s into %s%n",
        m.persistenceIds().size(), m.totalEvents(), m.totalSnapshots(), archive, target);
    out.flush();
    return ExitCodes.OK;
  }
}
