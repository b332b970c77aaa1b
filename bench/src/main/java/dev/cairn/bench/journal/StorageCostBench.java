package dev.cairn.bench.journal;

import dev.cairn.persistence.leveldb.internal.Format;
import dev.cairn.persistence.leveldb.internal.RecordKind;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.iq80.leveldb.CompressionType;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;

/**
 * CPU cost of storing events in native LevelDB the way Cairn's journal does, without actors:
 * event keys and records of Cairn's format for 64 interleaved persistence ids, unsynced batches
 * of 20 (the group size of the 64-actor runs), LevelDB options as Cairn sets them. It measures
 * the process CPU from the first write until LevelDB's background compaction has gone quiet, so
 * the compaction the writes cause is counted, split into the writing thread and the rest
 * (LevelDB's compaction thread). CPU time, unlike a rate, hardly depends on other load on the
 * machine.
 *
 * <pre>
 * java -cp "bench/target/classes:$(cat bench/target/cp.txt)" dev.cairn.bench.journal.StorageCostBench [events] [rounds]
 * </pre>
 *
 * Variants: Cairn's record as written today (manifest and writer uuid as strings in every
 * record), the same without those strings (what a string table would save), each with a 4 MiB
 * (Cairn's default) and a 64 MiB LevelDB write buffer.
 */
public final class StorageCostBench {
  private static final int IDS = 64;
  private static final int BATCH = 20;
  /** LevelDB block size ({@code -Dbench.block-size}, bytes; LevelDB's and Cairn's default 4096). */
  private static final int BLOCK_SIZE = Integer.getInteger("bench.block-size", 4096);
  /** LevelDB block compression ({@code -Dbench.compression=snappy|none}; Cairn's default snappy). */
  private static final CompressionType COMPRESSION =
      "none".equals(System.getProperty("bench.compression", "snappy")) ? CompressionType.NONE : CompressionType.SNAPPY;

  private StorageCostBench() {}

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 3_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Path base = Paths.get("target", "storage-cost-bench", "run-" + System.currentTimeMillis());
    Files.createDirectories(base);
    record Variant(String name, boolean strings, long writeBuffer) {}
    List<Variant> variants = List.of(
        new Variant("record as today, 4 MiB buffer", true, 4L << 20),
        new Variant("record as today, 64 MiB buffer", true, 64L << 20),
        new Variant("no manifest/uuid strings, 4 MiB buffer", false, 4L << 20),
        new Variant("no manifest/uuid strings, 64 MiB buffer", false, 64L << 20));
    System.out.printf(Locale.ROOT, "Storage cost: %,d events, %d ids, batches of %d, native LevelDB, block size %d, compression %s, %d rounds%n", events, IDS, BATCH, BLOCK_SIZE, COMPRESSION, rounds);
    int dir = 0;
    for (int r = 0; r < rounds; r++) {
      for (Variant v : variants) {
        Result res = run(base.resolve("db-" + dir++), events, v.strings(), v.writeBuffer());
        System.out.printf(Locale.ROOT, "  %-42s %5.0f B/event stored  writer %.2f us/event, compaction etc. %.2f us/event, total %.2f us/event (%.1f s of writes)%n",
            v.name(), res.bytesPerEvent, res.writerUs, res.restUs, res.writerUs + res.restUs, res.writeSeconds);
      }
    }
    JournalBench.deleteQuietly(base);
  }

  private record Result(double bytesPerEvent, double writerUs, double restUs, double writeSeconds) {}

  private static Result run(Path dir, int events, boolean strings, long writeBuffer) throws Exception {
    Options o = new Options().createIfMissing(true).paranoidChecks(true).compressionType(COMPRESSION)
        .cacheSize(8L << 20).writeBufferSize((int) writeBuffer).blockSize(BLOCK_SIZE);
    String[] pids = new String[IDS];
    for (int i = 0; i < IDS; i++) pids[i] = "p-" + UUID.randomUUID().toString().substring(0, 8) + "-" + i;
    String manifest = strings ? BenchEvent.class.getName() : "";
    String writer = strings ? UUID.randomUUID().toString() : "";
    byte[] payload = {(byte) 0xbf, 0x61, 0x6e, 0x1a, 0, 0, 0, 0, (byte) 0xff}; // CBOR {"n": int}, as BenchEvent
    var threads = ManagementFactory.getThreadMXBean();
    long bytes = 0;
    long cpu0 = processCpuNanos();
    long own0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    long writeNanos;
    long own;
    try (DB db = org.fusesource.leveldbjni.JniDBFactory.factory.open(dir.toFile(), o)) {
      long[] seq = new long[IDS];
      WriteOptions wo = new WriteOptions().sync(false);
      for (int n = 0; n < events; n += BATCH) {
        try (WriteBatch b = db.createWriteBatch()) {
          for (int j = 0; j < BATCH; j++) {
            int id = (n + j) % IDS;
            long nr = ++seq[id];
            payload[7] = (byte) nr;
            payload[6] = (byte) (nr >>> 8);
            byte[] k = Format.eventKey(pids[id], nr);
            byte[] v = Format.encodeEvent(k, RecordKind.EVENT, System.currentTimeMillis(), 33, manifest, "", writer, List.of(), payload);
            bytes += k.length + v.length;
            b.put(k, v);
          }
          db.write(b, wo);
        }
      }
      writeNanos = System.nanoTime() - t0;
      own = threads.getCurrentThreadCpuTime() - own0;
      // wait until LevelDB's background compaction has gone quiet: its CPU belongs to these writes
      long last = processCpuNanos();
      int quiet = 0;
      while (quiet < 5) {
        Thread.sleep(200);
        long now = processCpuNanos();
        quiet = now - last < 10_000_000L ? quiet + 1 : 0;
        last = now;
      }
    }
    long total = processCpuNanos() - cpu0;
    JournalBench.deleteQuietly(dir);
    return new Result((double) bytes / events, own / 1e3 / events, (total - own) / 1e3 / events, writeNanos / 1e9);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
