package dev.cairn.bench.journal;

import dev.cairn.persistence.leveldb.internal.AppendTask;
import dev.cairn.persistence.leveldb.internal.CloseableIterator;
import dev.cairn.persistence.leveldb.internal.EventRecord;
import dev.cairn.persistence.leveldb.internal.LevelDbStores;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import dev.cairn.persistence.leveldb.internal.StoreOptions;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * Where replay time goes, per event, without actors: reading and checksum-verifying records
 * through the storage layer (native and pure-Java LevelDB), and deserializing payloads.
 * {@code java -cp ... dev.cairn.bench.journal.ReplayCostBreakdown}
 */
public final class ReplayCostBreakdown {
  public static void main(String[] args) throws Exception {
    int n = 200_000;
    ActorSystem system = ActorSystem.create("breakdown", ConfigFactory.parseString("pekko.loglevel = WARNING").withFallback(ConfigFactory.load()));
    Serialization ser = SerializationExtension.get(system);
    Path base = Files.createTempDirectory(Paths.get("target").toAbsolutePath(), "breakdown");
    BenchEvent sample = new BenchEvent(123456);
    Serializer s = ser.findSerializerFor(sample);
    String manifest = Serializers.manifestFor(s, sample);
    byte[] bytes = s.toBinary(sample);
    System.out.printf(Locale.ROOT, "payload %d bytes (serializer %d, manifest %s)%n", bytes.length, s.identifier(), manifest);
    for (StoreOptions.NativeMode mode : new StoreOptions.NativeMode[] {StoreOptions.NativeMode.ON, StoreOptions.NativeMode.OFF}) {
      Path dir = base.resolve(mode.name());
      try (StoreLease lease = LevelDbStores.acquire(dir, StoreOptions.defaults().withNativeMode(mode))) {
        for (int b = 0; b < n / 1000; b++) {
          List<AppendTask.Record> recs = new ArrayList<>();
          for (int i = 1; i <= 1000; i++) {
            long seq = b * 1000L + i;
            recs.add(AppendTask.event("replay-pid", seq, System.currentTimeMillis(), s.identifier(), manifest, "",
                "6a1c2c7e-6f0e-4a54-9c1b-7d1d3f9d2a11", List.of(), s.toBinary(new BenchEvent(seq))));
          }
          lease.store().submit(new AppendTask(List.of(new AppendTask.AtomicGroup("replay-pid", recs)), false)).join();
        }
        for (int pass = 0; pass < 4; pass++) {
          long t0 = System.nanoTime();
          long count = 0;
          long deser = 0;
          try (CloseableIterator<EventRecord> it = lease.store().events("replay-pid", 1, Long.MAX_VALUE)) {
            while (it.hasNext()) {
              EventRecord r = it.next();
              count++;
              if (pass >= 2) {
                long d0 = System.nanoTime();
                Object o = ser.deserialize(r.payload(), r.serializerId(), r.manifest()).get();
                deser += System.nanoTime() - d0;
                if (o == null) throw new IllegalStateException();
              }
            }
          }
          double total = (System.nanoTime() - t0) / 1e9;
          if (pass == 1) System.out.printf(Locale.ROOT, "%-4s read+verify: %,10.0f records/s (%.2f us each)%n", mode, count / total, total * 1e6 / count);
          if (pass == 3) System.out.printf(Locale.ROOT, "%-4s read+verify+deserialize: %,10.0f records/s (deserialize %.2f us each)%n", mode, count / total, deser / 1e3 / count);
        }
      }
    }
    system.terminate();
  }
}
