package dev.cairn.bench.journal;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Map.Entry;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.DBIterator;
import org.iq80.leveldb.Options;
import org.iq80.leveldb.WriteBatch;
import org.iq80.leveldb.WriteOptions;

/** Raw leveldbjni: the storage ceiling (90-byte values, 16-byte keys, no sync). */
final class RawLevelDbBench {
  private RawLevelDbBench() {}

  static void run(Path dir, int records, Map<String, Double> results) throws Exception {
    Files.createDirectories(dir);
    byte[] value = new byte[90];
    for (int i = 0; i < value.length; i++) value[i] = (byte) ('a' + i % 26);
    Options o = new Options().createIfMissing(true);
    try (DB db = org.fusesource.leveldbjni.JniDBFactory.factory.open(dir.resolve("batch1").toFile(), o)) {
      int n = records / 4;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        try (WriteBatch b = db.createWriteBatch()) {
          b.put(key(1, i), value);
          b.put(key(0, 1), key(2, i)); // a counter update, as a journal does per event
          db.write(b, new WriteOptions().sync(false));
        }
      }
      double r = n / ((System.nanoTime() - t0) / 1e9);
      results.put("raw|batch1", r);
      System.out.printf(Locale.ROOT, "  raw leveldbjni one batch per record: %,10.0f records/s%n", r);
    }
    try (DB db = org.fusesource.leveldbjni.JniDBFactory.factory.open(dir.resolve("sync").toFile(), o)) {
      for (int perBatch : new int[] {1, 32}) {
        long t0 = System.nanoTime();
        long end = t0 + 2_000_000_000L;
        long batches = 0;
        long k = 0;
        while (System.nanoTime() < end) {
          try (WriteBatch b = db.createWriteBatch()) {
            for (int j = 0; j < perBatch; j++) b.put(key(1, k++), value);
            db.write(b, new WriteOptions().sync(true));
          }
          batches++;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        results.put("raw|sync" + perBatch, batches / secs);
        System.out.printf(Locale.ROOT, "  raw leveldbjni synced batches of %2d:  %,10.0f syncs/s (%.3f ms each)%n", perBatch, batches / secs, secs * 1000 / batches);
      }
    }
    try (DB db = org.fusesource.leveldbjni.JniDBFactory.factory.open(dir.resolve("batch1000").toFile(), o)) {
      long t0 = System.nanoTime();
      for (int i = 0; i < records; i += 1000) {
        try (WriteBatch b = db.createWriteBatch()) {
          for (int j = i; j < i + 1000; j++) b.put(key(1, j), value);
          db.write(b, new WriteOptions().sync(false));
        }
      }
      double r = records / ((System.nanoTime() - t0) / 1e9);
      results.put("raw|batch1000", r);
      System.out.printf(Locale.ROOT, "  raw leveldbjni batches of 1,000:     %,10.0f records/s%n", r);
      for (int pass = 0; pass < 2; pass++) { // first pass warms up
        long t1 = System.nanoTime();
        long count = 0;
        try (DBIterator it = db.iterator()) {
          it.seekToFirst();
          while (it.hasNext()) {
            Entry<byte[], byte[]> e = it.next();
            count += e.getValue().length > 0 ? 1 : 0;
          }
        }
        double ir = count / ((System.nanoTime() - t1) / 1e9);
        if (pass == 1) {
          results.put("raw|iterate", ir);
          System.out.printf(Locale.ROOT, "  raw leveldbjni iterate:              %,10.0f records/s%n", ir);
        }
      }
    }
  }

  private static byte[] key(int kind, long n) {
    return ByteBuffer.allocate(16).putInt(kind).putInt(7).putLong(n).array();
  }
}
