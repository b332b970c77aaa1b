package dev.cairn.bench.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Do syncs of different files overlap on this disk? Each of N threads overwrites 4 KiB in place
 * in a preallocated file of its own and syncs it ({@code fdatasync}, as Cairn's write-ahead log
 * does for a synced group), as fast as it can, for a few seconds. On the project's machine the
 * total grows with N, but a measurement-only journal build with several synced groups in flight
 * (one log file each) was slower, not faster: docs/benchmarks.md, "The default dispatcher's size".
 *
 * <pre>
 * bench/run concurrent-sync [seconds] [thread counts, e.g. 1,2,4]
 * </pre>
 */
public final class ConcurrentSyncBench {
  private static final int BLOCK = 4096;
  private static final long FILE_SIZE = 16L << 20;

  private ConcurrentSyncBench() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    String[] counts = (args.length > 1 ? args[1] : "1,2,4,1,2,4").split(",");
    Path dir = Paths.get("target", "concurrent-sync-bench", "run-" + System.currentTimeMillis());
    Files.createDirectories(dir);
    System.out.printf(Locale.ROOT, "Concurrent syncs: %d-byte in-place overwrite + fdatasync per sync, one preallocated file per thread, %.0f s each, dir %s%n",
        BLOCK, seconds, dir.toAbsolutePath());
    try {
      for (String c : counts) {
        int threads = Integer.parseInt(c.trim());
        double total = run(dir, threads, seconds);
        System.out.printf(Locale.ROOT, "  %d thread(s): %,8.0f syncs/s in total, %.3f ms per sync per thread%n",
            threads, total, threads * 1000.0 / total);
      }
    } finally {
      JournalBench.deleteQuietly(dir.getParent());
    }
  }

  private static double run(Path dir, int threads, double seconds) throws Exception {
    FileChannel[] files = new FileChannel[threads];
    try {
      for (int i = 0; i < threads; i++) files[i] = preallocated(dir.resolve("log-" + threads + "-" + i));
      LongAdder syncs = new LongAdder();
      long end = System.nanoTime() + (long) (seconds * 1e9);
      Thread[] workers = new Thread[threads];
      for (int i = 0; i < threads; i++) {
        FileChannel ch = files[i];
        workers[i] = new Thread(() -> {
          ByteBuffer b = ByteBuffer.allocate(BLOCK);
          long pos = 0;
          try {
            while (System.nanoTime() < end) {
              b.clear();
              ch.write(b, pos);
              ch.force(false);
              pos = (pos + BLOCK) % FILE_SIZE;
              syncs.increment();
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }, "sync-" + i);
        workers[i].start();
      }
      for (Thread t : workers) t.join();
      return syncs.sum() / seconds;
    } finally {
      for (FileChannel f : files) if (f != null) f.close();
    }
  }

  private static FileChannel preallocated(Path f) throws IOException {
    FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    ByteBuffer zeros = ByteBuffer.allocate(1 << 20);
    for (long p = 0; p < FILE_SIZE; p += zeros.capacity()) {
      zeros.clear();
      ch.write(zeros, p);
    }
    ch.force(true);
    return ch;
  }
}
