package dev.cairn.examples.cli;

import dev.cairn.persistence.backup.BackupManifest;
import dev.cairn.persistence.backup.BackupOptions;
import dev.cairn.persistence.backup.CairnBackup;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import dev.cairn.persistence.leveldb.internal.VerifyProblem;
import dev.cairn.persistence.leveldb.internal.VerifyReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check every record of the journal and snapshot store: checksums, sequence number gaps,"
          + " unknown record kinds, highest sequence numbers, tag entries. Every problem is"
          + " listed; the exit code is 1 when there is any.",
      "With --archive, check a backup archive instead (structure, manifest, every checksum)."
    })
final class VerifyCommand implements Callable<Integer> {
  @ParentCommand CairnCli root;
  @Spec CommandSpec spec;

  @Option(names = "--archive", paramLabel = "<archive>",
      description = "Verify this backup archive instead of the journal.")
  Path archive;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (archive != null) return verifyArchive(out);
    List<VerifyProblem> problems = new ArrayList<>();
    long ids;
    long events;
    long snapshots;
    try (Progress progress = Progress.forTerminal()) {
      progress.onProgress("verify journal", 0, -1);
      try (StoreLease journal = CliStores.openJournal(root.dir)) {
        VerifyReport report = journal.store().verify();
        problems.addAll(report.problems());
        ids = report.persistenceIds();
        events = report.events();
        snapshots = report.snapshots();
      }
      progress.onProgress("verify snapshots", 0, -1);
      StoreLease snapshotLease = CliStores.openSnapshots(root.dir);
      if (snapshotLease != null) {
        try (snapshotLease) {
          VerifyReport report = snapshotLease.store().verify();
          problems.addAll(report.problems());
          snapshots += report.snapshots();
        }
      }
    }
    for (VerifyProblem p : problems) {
      out.printf("%-28s %s%s  %s%n", p.kind(),
          p.persistenceId().isEmpty() ? "-" : p.persistenceId(),
          p.sequenceNr() >= 0 ? " #" + p.sequenceNr() : "", p.message());
    }
    if (problems.isEmpty()) {
      out.printf("OK: %d persistence ids, %d events, %d snapshots checked; no problems%n",
          ids, events, snapshots);
    } else {
      out.printf("%d problem%s found in %d persistence ids, %d events, %d snapshots."
              + " Restore from a backup (cairn restore) or inspect with 'cairn events'%n",
          problems.size(), problems.size() == 1 ? "" : "s", ids, events, snapshots);
    }
    out.flush();
    return problems.isEmpty() ? ExitCodes.OK : ExitCodes.PROBLEMS_FOUND;
  }

  private int verifyArchive(PrintWriter out) {
    BackupManifest m;
    try (Progress progress = Progress.forTerminal()) {
      m = CairnBackup.verify(archive, BackupOptions.defaults().withProgress(progress));
    }
    out.printf("OK: archive %s (format %d, %s backup of %s): %d persistence ids, %d events,"
            + " %d snapshots; every checksum matches%n", archive, m.formatVersion(),
        m.mode().id(), m.createdAt(), m.persistenceIds().size(), m.totalEvents(),
        m.totalSnapshots());
    out.flush();
    return ExitCodes.OK;
  }
}
