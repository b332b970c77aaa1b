package dev.cairn.bench.backup;

import dev.cairn.persistence.backup.BackupManifest;
import dev.cairn.persistence.backup.CairnBackup;
import dev.cairn.persistence.backup.JournalExport;
import dev.cairn.persistence.backup.ExportOptions;
import dev.cairn.persistence.backup.StoreDirectories;
import dev.cairn.persistence.leveldb.internal.Format;
import dev.cairn.persistence.leveldb.internal.LevelDbStores;
import dev.cairn.persistence.leveldb.internal.PersistenceIdState;
import dev.cairn.persistence.leveldb.internal.RawRestore;
import dev.cairn.persistence.leveldb.internal.RecordKind;
import dev.cairn.persistence.leveldb.internal.StoreOptions;
import com.typesafe.config.ConfigFactory;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Backup, archive verify, restore and JSON Lines export of a Cairn journal, side by side in one
 * run. The source is {@code --events} events (default 500,000) of ~90 bytes stored (a 12-byte
 * JSON payload, like docs/PERFORMANCE-NOTES) over 100 persistence ids plus one snapshot per id.
 * Each step: one warm-up round, then 3 runs; the median is printed.
 *
 * <pre>
 * mvn -B -q -pl bench -am compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=runtime
 * java -Xms1g -Xmx1g -cp "bench/target/classes:$(cat bench/target/cp.txt)" \
 *     dev.cairn.bench.backup.BackupBench [--events N] [--dir DIR]
 * </pre>
 */
public final class BackupBench {
  private static final int IDS = 100;
  private static final int RUNS = 3;

  private BackupBench() {}

  public static void main(String[] args) throws Exception {
    int events = 500_000;
    Path base = null;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--events")) events = Integer.parseInt(args[++i]);
      else if (args[i].equals("--dir")) base = Path.of(args[++i]);
      else throw new IllegalArgumentException("unknown argument " + args[i]);
    }
    final int total = events;
    Path dir = base == null ? Files.createTempDirectory("cairn-backup-bench")
        : Files.createDirectories(base);
    StoreDirectories source = StoreDirectories.inDataDir(dir.resolve("source"));
    fill(source, events);
    long sourceBytes = size(dir.resolve("source"));
    Path archive = dir.resolve("bench.zip");
    int[] round = {0};

    double backup = median(() -> {
      delete(archive);
      long t = System.nanoTime();
      BackupManifest m = CairnBackup.backup(source, archive);
      long ns = System.nanoTime() - t;
      check(m.totalEvents() == total, "backup lost events");
      return ns;
    });
    long archiveBytes = Files.size(archive);
    double verify = median(() -> {
      long t = System.nanoTime();
      CairnBackup.verify(archive);
      return System.nanoTime() - t;
    });
    double restore = median(() -> {
      Path target = dir.resolve("restored-" + round[0]++);
      long t = System.nanoTime();
      CairnBackup.restore(archive, target);
      long ns = System.nanoTime() - t;
      delete(target);
      return ns;
    });
    double export = median(() -> {
      Path out = dir.resolve("export.jsonl");
      delete(out);
      long t = System.nanoTime();
      try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
        JournalExport.exportStore(source.journalDir(), ConfigFactory.load(), w,
            ExportOptions.defaults());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return System.nanoTime() - t;
    });

    System.out.printf(Locale.ROOT, "Cairn backup/restore, %,d events over %d ids, journal %.1f MiB,"
        + " archive %.1f MiB (median of %d runs)%n", events, IDS, mib(sourceBytes),
        mib(archiveBytes), RUNS);
    System.out.printf(Locale.ROOT, "| step | seconds | events/s | MiB/s (journal size) |%n");
    System.out.printf(Locale.ROOT, "|---|---|---|---|%n");
    row("backup (offline)", backup, events, sourceBytes);
    row("verify archive", verify, events, sourceBytes);
    row("restore", restore, events, sourceBytes);
    row("export JSON Lines", export, events, sourceBytes);
    if (base == null) delete(dir);
  }

  private static void row(String step, double ns, long events, long bytes) {
    double s = ns / 1e9;
    System.out.printf(Locale.ROOT, "| %s | %.2f | %,.0f | %.1f |%n", step, s, events / s,
        mib(bytes) / s);
  }

  private static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  private static double median(Supplier<Long> run) {
    run.get(); // warm-up
    double[] ns = new double[RUNS];
    for (int i = 0; i < RUNS; i++) ns[i] = run.get();
    Arrays.sort(ns);
    return ns[RUNS / 2];
  }

  private static void fill(StoreDirectories dirs, int events) {
    byte[] payload = "{\"amount\":42}".getBytes(StandardCharsets.UTF_8);
    try (RawRestore journal = LevelDbStores.createForRestore(dirs.journalDir(),
            StoreOptions.defaults());
        RawRestore snapshots = LevelDbStores.createForRestore(dirs.snapshotDir(),
            StoreOptions.defaults())) {
      for (int id = 0; id < IDS; id++) {
        String pid = "bench-" + id;
        long n = events / IDS + (id < events % IDS ? 1 : 0);
        byte[] idKey = Format.persistenceIdKey(pid);
        journal.put(idKey, Format.encodePersistenceIdState(idKey, new PersistenceIdState(n, 0)));
        for (long seq = 1; seq <= n; seq++) {
          byte[] key = Format.eventKey(pid, seq);
          journal.put(key, Format.encodeEvent(key, RecordKind.EVENT, 1_700_000_000_000L + seq,
              31, "dev.cairn.bench.Event", "", "writer-0", List.of(), payload));
        }
        byte[] sk = Format.snapshotKey(pid, n);
        snapshots.put(sk, Format.encodeSnapshot(sk, 1_700_000_000_000L, 31, "State", payload));
      }
      journal.finish();
      snapshots.finish();
    }
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void delete(Path path) {
    if (!Files.exists(path)) return;
    try (Stream<Path> walk = Files.walk(path)) {
      List<Path> all = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
      for (Path p : all) Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void check(boolean ok, String what) {
    if (!ok) throw new IllegalStateException(what);
  }
}
