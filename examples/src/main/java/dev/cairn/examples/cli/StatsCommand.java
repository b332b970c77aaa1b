package dev.cairn.examples.cli;

import dev.cairn.persistence.backup.StoreDirectories;
import dev.cairn.persistence.leveldb.internal.CloseableIterator;
import dev.cairn.persistence.leveldb.internal.LevelDbStore;
import dev.cairn.persistence.leveldb.internal.PersistenceIdState;
import dev.cairn.persistence.leveldb.internal.SnapshotRecord;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Summarize the journal: persistence ids, events, snapshots, size on disk.")
final class StatsCommand implements Callable<Integer> {
  @ParentCommand CairnCli root;
  @Spec CommandSpec spec;

  @Option(names = "--per-id",
      description = "Also print one line per persistence id (events, highest, deleted to, snapshots).")
  boolean perId;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    StoreDirectories dirs = CliStores.layout(root.dir);
    try (StoreLease journal = CliStores.openJournal(root.dir)) {
      LevelDbStore store = journal.store();
      List<String> ids = store.persistenceIds();
      Map<String, long[]> snapshots = new TreeMap<>(); // count, newest seqNr
      StoreLease snapshotLease = CliStores.openSnapshots(root.dir);
      try (CloseableIterator<SnapshotRecord> it = (snapshotLease == null ? journal : snapshotLease)
          .store().allSnapshots()) {
        while (it.hasNext()) {
          SnapshotRecord s = it.next();
          long[] c = snapshots.computeIfAbsent(s.persistenceId(), k -> new long[2]);
          c[0]++;
          c[1] = Math.max(c[1], s.sequenceNr());
        }
      } finally {
        if (snapshotLease != null) snapshotLease.close();
      }
      long events = 0;
      long highest = 0;
      for (String id : ids) {
        PersistenceIdState st = store.persistenceIdState(id);
        events += st.highestSequenceNr() - st.deletedTo();
        highest = Math.max(highest, st.highestSequenceNr());
      }
      long snapshotCount = snapshots.values().stream().mapToLong(c -> c[0]).sum();
      out.printf("journal:           %s (%s LevelDB, format version %d)%n",
          store.directory(), store.isNative() ? "native" : "pure-Java", store.formatVersion());
      out.printf("persistence ids:   %d%n", ids.size());
      out.printf("events:            %d%n", events);
      out.printf("highest seqNr:     %d%n", highest);
      out.printf("snapshots:         %d%n", snapshotCount);
      out.printf("size on disk:      %s%n", size(dirs));
      if (perId) {
        out.printf("%n%-40s %10s %10s %10s %10s%n",
            "persistence id", "events", "highest", "deleted-to", "snapshots");
        for (String id : ids) {
          PersistenceIdState st = store.persistenceIdState(id);
          long[] s = snapshots.getOrDefault(id, new long[2]);
          out.printf("%-40s %10d %10d %10d %10d%n", id, st.highestSequenceNr() - st.deletedTo(),
              st.highestSequenceNr(), st.deletedTo(), s[0]);
        }
      }
    }
    out.flush();
    return ExitCodes.OK;
  }

  private static String size(StoreDirectories dirs) {
    long journal = bytes(dirs.journalDir());
    if (dirs.snapshotDir().equals(dirs.journalDir())) return human(journal);
    long snapshots = bytes(dirs.snapshotDir());
    return human(journal + snapshots) + " (journal " + human(journal) + ", snapshots "
        + human(snapshots) + ")";
  }

  private static long bytes(Path dir) {
    if (!Files.isDirectory(dir)) return 0;
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String human(long bytes) {
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1024 * 1024) return String.format("%.1f KiB", bytes / 1024.0);
    if (bytes < 1024L * 1024 * 1024) return String.format("%.1f MiB", bytes / (1024.0 * 1024));
    return String.format("%.2f GiB", bytes / (1024.0 * 1024 * 1024));
  }
}
