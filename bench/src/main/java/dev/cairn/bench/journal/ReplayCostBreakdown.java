package dev.cairn.bench.journal;

import com.typesafe.config.ConfigFactory;
import dev.cairn.persistence.leveldb.internal.AppendTask;
import dev.cairn.persistence.leveldb.internal.CloseableIterator;
import dev.cairn.persistence.leveldb.internal.EventRecord;
import dev.cairn.persistence.leveldb.internal.LevelDbStores;
import dev.cairn.persistence.leveldb.internal.RawEntry;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import dev.cairn.persistence.leveldb.internal.StoreOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serialization$;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.apache.pekko.serialization.Serializers;

/**
 * Where replay time goes, per event, without actors: iterating LevelDB (the floor: raw
 * key/value pairs with the same read options), reading + checksum-verifying + decoding records
 * through the storage layer (native and pure-Java LevelDB), and deserializing payloads through
 * Pekko serialization. Costs are CPU time of the measuring thread per event (robust on a loaded
 * machine), with wall-clock rates beside them; each is the median of 5 passes.
 * {@code java -cp ... dev.cairn.bench.journal.ReplayCostBreakdown}
 */
public final class ReplayCostBreakdown {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final int PASSES = 5;

  public static void main(String[] args) throws Exception {
    int n = 200_000;
    ActorSystem system = ActorSystem.create("breakdown", ConfigFactory.parseString("pekko.loglevel = WARNING").withFallback(ConfigFactory.load()));
    Serialization ser = SerializationExtension.get(system);
    Path base = Files.createTempDirectory(Paths.get("target").toAbsolutePath(), "breakdown");
    BenchEvent sample = new BenchEvent(123456);
    Serializer s = ser.findSerializerFor(sample);
    String manifest = Serializers.manifestFor(s, sample);
    byte[] bytes = s.toBinary(sample);
    System.out.printf(Locale.ROOT, "payload %d bytes (serializer %d, manifest %s); CPU us per event (median of %d passes)%n", bytes.length, s.identifier(), manifest, PASSES);
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
        measure(mode + " raw iterate (floor)", () -> {
          long c = 0;
          try (CloseableIterator<RawEntry> it = lease.store().rawEntries()) {
            while (it.hasNext()) if (it.next().value().length > 0) c++;
          }
          return c;
        });
        measure(mode + " read+verify+decode", () -> {
          long c = 0;
          try (CloseableIterator<EventRecord> it = lease.store().events("replay-pid", 1, Long.MAX_VALUE)) {
            while (it.hasNext()) if (it.next().payload() != null) c++;
          }
          return c;
        });
        if (mode != StoreOptions.NativeMode.ON) continue;
        List<EventRecord> records = new ArrayList<>(n);
        try (CloseableIterator<EventRecord> it = lease.store().events("replay-pid", 1, Long.MAX_VALUE)) {
          while (it.hasNext()) records.add(it.next());
        }
        measure("deserialize, Serialization.deserialize", () -> {
          long c = 0;
          for (EventRecord r : records) if (ser.deserialize(r.payload(), r.serializerId(), r.manifest()).get() != null) c++;
          return c;
        });
        SerializerWithStringManifest direct = (SerializerWithStringManifest) ser.serializerByIdentity().apply(s.identifier());
        measure("deserialize, serializer direct, transport info per 512", () -> {
          long c = 0;
          for (int from = 0; from < records.size(); from += 512) {
            int start = from;
            c += Serialization$.MODULE$.currentTransportInformation().withValue(ser.serializationInformation(), () -> {
              long k = 0;
              for (int i = start; i < Math.min(start + 512, records.size()); i++) {
                EventRecord r = records.get(i);
                try {
                  if (direct.fromBinary(r.payload(), r.manifest()) != null) k++;
                } catch (java.io.NotSerializableException e) {
                  throw new IllegalStateException(e);
                }
              }
              return k;
            });
          }
          return c;
        });
      }
    }
    system.terminate();
  }

  interface Pass {
    long run() throws Exception;
  }

  private static void measure(String what, Pass pass) throws Exception {
    pass.run(); // warm-up
    pass.run();
    double[] cpu = new double[PASSES];
    double[] rate = new double[PASSES];
    for (int i = 0; i < PASSES; i++) {
      long c0 = THREADS.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      long count = pass.run();
      long t1 = System.nanoTime();
      cpu[i] = (THREADS.getCurrentThreadCpuTime() - c0) / 1e3 / count;
      rate[i] = count / ((t1 - t0) / 1e9);
    }
    java.util.Arrays.sort(cpu);
    java.util.Arrays.sort(rate);
    System.out.printf(Locale.ROOT, "  %-55s %6.3f us CPU/event  %,11.0f events/s wall%n", what, cpu[PASSES / 2], rate[PASSES / 2]);
  }
}
