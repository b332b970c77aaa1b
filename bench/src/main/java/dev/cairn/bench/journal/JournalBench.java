package dev.cairn.bench.journal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Journal benchmark: Cairn's LevelDB plugin side by side with Pekko's built-in LevelDB plugin
 * (same fsync setting, native), Pekko's in-memory journal, and raw leveldbjni, in one run.
 *
 * <pre>
 * mvn -B -q -pl bench -am compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=runtime
 * java -XX:+AlwaysPreTouch -Xms1g -Xmx1g -cp "bench/target/classes:$(cat bench/target/cp.txt)" \
 *     dev.cairn.bench.journal.JournalBench [--quick] [--only cairn,pekko-leveldb,inmem,ceiling,ceiling-serde,raw]
 *     [--scenarios persist,replay,recovery,raw] [--actors 1,8,64] [--fsync on|off|both] [--window SECONDS] [--dispatcher-threads N] [--dir DIR]
 * </pre>
 *
 * Scenarios: persist with 1, 8, 64 typed event-sourced actors (fsync on and off; each actor
 * persists one event per command, so one event per journal write), replay of 200,000 events,
 * recovery from a snapshot plus 1,000 events. Each measurement: a warm-up round, then 3 runs,
 * the median reported. Persist runs are time-boxed; rates are acknowledged events per second.
 * See docs/benchmarks.md, section "Journal".
 */
public final class JournalBench {
  private static int[] actorCounts = {1, 8, 64};
  private static boolean[] fsyncModes = {true, false};
  private static final int RUNS = 3;
  /**
   * Every journal the harness knows. {@code ceiling} and {@code ceiling-serde} are
   * {@link CeilingJournal}: no journal, the framework's upper bound.
   */
  private static final List<String> JOURNALS = List.of("cairn", "pekko-leveldb", "inmem", "ceiling", "ceiling-serde");

  private static boolean onDisk(String journal) {
    return journal.equals("cairn") || journal.equals("pekko-leveldb");
  }

  private final boolean quick;
  private final List<String> only;
  private List<String> scenarios = List.of("persist", "replay", "recovery", "raw");
  private final Path baseDir;
  private double windowSeconds;
  /** Threads of every system's default dispatcher ({@code --dispatcher-threads N}); 0: Pekko's default sizing. */
  private int dispatcherThreads;
  private final int replayEvents = 200_000;
  /** Cairn's LevelDB implementation: {@code -Dbench.cairn-native=off} measures the pure-Java port. */
  private static final String CAIRN_NATIVE = System.getProperty("bench.cairn-native", "on");
  private final int recoveries;
  private final Map<String, Double> results = new LinkedHashMap<>();

  private JournalBench(boolean quick, List<String> only, Path baseDir) {
    this.quick = quick;
    this.only = only;
    this.baseDir = baseDir;
    this.windowSeconds = quick ? 1.0 : 3.0;
    this.recoveries = quick ? 10 : 30;
  }

  public static void main(String[] args) throws Exception {
    quietLogging();
    boolean quick = false;
    List<String> scenarios = List.of("persist", "replay", "recovery", "raw");
    double window = 0;
    int dispatcherThreads = 0;
    List<String> only = List.of("cairn", "pekko-leveldb", "inmem", "ceiling", "ceiling-serde", "raw");
    Path dir = Paths.get("target", "journal-bench");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick": quick = true; break;
        case "--only": only = Arrays.asList(args[++i].split(",")); break;
        case "--dir": dir = Paths.get(args[++i]); break;
        case "--window": window = Double.parseDouble(args[++i]); break;
        case "--dispatcher-threads": dispatcherThreads = Integer.parseInt(args[++i]); break;
        case "--scenarios": scenarios = Arrays.asList(args[++i].split(",")); break;
        case "--actors": actorCounts = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray(); break;
        case "--fsync": fsyncModes = args[++i].equals("on") ? new boolean[] {true} : args[i].equals("off") ? new boolean[] {false} : new boolean[] {true, false}; break;
        default:
          System.err.println("usage: JournalBench [--quick] [--only cairn,pekko-leveldb,inmem,ceiling,ceiling-serde,raw] [--scenarios persist,replay,recovery,raw] [--actors 1,8,64] [--fsync on|off|both] [--window SECONDS] [--dispatcher-threads N] [--dir DIR]");
          System.exit(2);
      }
    }
    Path base = dir.resolve("run-" + System.currentTimeMillis());
    Files.createDirectories(base);
    JournalBench b = new JournalBench(quick, only, base);
    b.scenarios = scenarios;
    if (window > 0) b.windowSeconds = window; // sustained load: each persist run lasts this long
    b.dispatcherThreads = dispatcherThreads;
    System.out.printf(Locale.ROOT, "Journal benchmark (%s), JDK %s, %d cores, default dispatcher: %s, dir %s%n", quick ? "quick" : "full",
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
        dispatcherThreads > 0 ? dispatcherThreads + " threads" : "Pekko's sizing", base.toAbsolutePath());
    long t0 = System.nanoTime();
    b.runAll();
    b.printTables();
    System.out.printf(Locale.ROOT, "total time %.0f s%n", (System.nanoTime() - t0) / 1e9);
    System.exit(0);
  }

  private static void quietLogging() {
    org.slf4j.Logger root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (root instanceof ch.qos.logback.classic.Logger l) l.setLevel(ch.qos.logback.classic.Level.WARN);
  }

  // ====================================================================== configurations

  private Config config(String journal, boolean fsync, String name) {
    Path d = baseDir.resolve(name + "-" + (fsync ? "fsync" : "nofsync"));
    String f = fsync ? "on" : "off";
    try {
      Files.createDirectories(d.resolve("journal")); // Pekko's plugin does not create parents
      Files.createDirectories(d.resolve("snapshots"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String common = "pekko.loglevel = WARNING\npekko.log-dead-letters = off\npekko.actor.allow-java-serialization = off\n";
    if (dispatcherThreads > 0) {
      // every journal's system alike: the default dispatcher with this many threads instead of Pekko's max(8, cores)
      common += "pekko.actor.default-dispatcher.fork-join-executor { parallelism-min = " + dispatcherThreads
          + ", parallelism-max = " + dispatcherThreads + " }\n";
    }
    String c;
    switch (journal) {
      case "cairn":
        c = "pekko.persistence.journal.plugin = \"cairn.persistence.journal.leveldb\"\n"
            + "pekko.persistence.snapshot-store.plugin = \"cairn.persistence.snapshot-store.leveldb\"\n"
            + "cairn.persistence.journal.leveldb { dir = \"" + d.resolve("journal") + "\", fsync = " + f + ", native = " + CAIRN_NATIVE + " }\n"
            + "cairn.persistence.snapshot-store.leveldb { dir = \"" + d.resolve("snapshots") + "\", fsync = " + f + ", native = " + CAIRN_NATIVE + " }\n";
        break;
      case "pekko-leveldb":
        c = "pekko.persistence.journal.plugin = \"pekko.persistence.journal.leveldb\"\n"
            + "pekko.persistence.journal.leveldb { dir = \"" + d.resolve("journal") + "\", fsync = " + f + ", native = on }\n"
            + "pekko.persistence.snapshot-store.plugin = \"pekko.persistence.snapshot-store.local\"\n"
            + "pekko.persistence.snapshot-store.local.dir = \"" + d.resolve("snapshots") + "\"\n";
        break;
      case "ceiling":
      case "ceiling-serde":
        c = "pekko.persistence.journal.plugin = \"bench.ceiling-journal\"\n"
            + "bench.ceiling-journal { class = \"" + CeilingJournal.class.getName() + "\", plugin-dispatcher = \"pekko.actor.default-dispatcher\", serialize = "
            + (journal.equals("ceiling-serde") ? "on" : "off") + " }\n"
            + "pekko.persistence.snapshot-store.plugin = \"pekko.persistence.snapshot-store.local\"\n"
            + "pekko.persistence.snapshot-store.local.dir = \"" + d.resolve("snapshots") + "\"\n";
        break;
      case "inmem":
        c = "pekko.persistence.journal.plugin = \"pekko.persistence.journal.inmem\"\n"
            + "pekko.persistence.snapshot-store.plugin = \"pekko.persistence.snapshot-store.local\"\n"
            + "pekko.persistence.snapshot-store.local.dir = \"" + d.resolve("snapshots") + "\"\n";
        break;
      default:
        throw new IllegalArgumentException(journal);
    }
    return ConfigFactory.parseString(common + c).withFallback(ConfigFactory.load()).resolve();
  }

  private ActorSystem<Void> system(String journal, boolean fsync, String scenario) {
    return ActorSystem.create(Behaviors.empty(), "bench-" + journal.replace('.', '-'), config(journal, fsync, journal + "-" + scenario));
  }

  private static void terminate(ActorSystem<Void> s) throws Exception {
    s.terminate();
    s.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }

  // ====================================================================== scenarios

  private void runAll() throws Exception {
    List<String> journals = new ArrayList<>();
    for (String j : JOURNALS) if (only.contains(j)) journals.add(j);
    if (scenarios.contains("persist")) jvmWarmUp(journals);
    for (boolean fsync : fsyncModes) {
      if (!scenarios.contains("persist")) break;
      for (String j : journals) {
        if (!onDisk(j) && fsync) continue; // no disk: measured once, under fsync off
        persistScenario(j, fsync);
      }
    }
    if (scenarios.contains("replay")) for (String j : journals) replayScenario(j);
    if (scenarios.contains("recovery")) for (String j : journals) recoveryScenario(j);
    if (only.contains("raw") && scenarios.contains("raw")) RawLevelDbBench.run(baseDir.resolve("raw"), quick ? 200_000 : 1_000_000, results);
  }

  /**
   * Unmeasured pass over every configuration first: otherwise the first configuration measured
   * pays for JIT compilation of the code all of them share (Pekko, Jackson) and looks slower.
   */
  private void jvmWarmUp(List<String> journals) throws Exception {
    System.out.println("  warming up the JVM (unmeasured)...");
    for (int pass = 0; pass < 2; pass++) {
      for (boolean fsync : fsyncModes) {
        for (String j : journals) {
          if (!onDisk(j) && fsync) continue;
          ActorSystem<Void> sys = system(j, fsync, "warmup");
          try {
            persistRound(sys, 1, Math.min(windowSeconds, 3.0));
            persistRound(sys, 8, Math.min(windowSeconds, 3.0) / 2);
          } finally {
            terminate(sys);
          }
        }
      }
    }
  }

  private void persistScenario(String journal, boolean fsync) throws Exception {
    for (int actors : actorCounts) {
      // a fresh actor system (and journal) per actor count: the in-memory journal keeps every
      // event of its system in the heap, and would otherwise be collecting garbage by the 64-actor runs
      ActorSystem<Void> sys = system(journal, fsync, "persist");
      lastGroups = 0;
      lastTasks = 0;
      lastWriteNanos = 0;
      lastStatsAt = 0;
      try {
        persistRound(sys, actors, windowSeconds * 1.5); // warm-up (JIT, page cache, LevelDB files)
        groupStats(journal, fsync); // the statistics printed below cover the measured runs only
        double[] rates = new double[RUNS];
        double[] cpu = new double[RUNS];
        String[] latencies = new String[RUNS];
        for (int r = 0; r < RUNS; r++) {
          rates[r] = persistRound(sys, actors, windowSeconds);
          cpu[r] = lastCpuMicrosPerEvent;
          latencies[r] = lastLatency;
        }
        double m = median(rates);
        results.put(key("persist", journal, fsync, actors), m);
        System.out.printf(Locale.ROOT, "  persist %-14s fsync %-3s %2d actors: %,10.0f ev/s  (runs %s)  %.2f us CPU/event%s%n", journal,
            fsync ? "on" : "off", actors, m, fmt(rates), median(cpu), groupStats(journal, fsync));
        System.out.printf(Locale.ROOT, "          %s%n", String.join("; ", latencies));
      } finally {
        terminate(sys);
      }
    }
  }

  private long lastGroups;
  private long lastTasks;
  private long lastWriteNanos;
  private long lastStatsAt;

  /**
   * Cairn's store since the last call: mean writes per LevelDB batch (group commit), mean time of
   * one LevelDB write (with its sync when fsync is on) and the share of wall time spent in them.
   */
  private String groupStats(String journal, boolean fsync) {
    if (!journal.equals("cairn")) return "";
    Path d = baseDir.resolve(journal + "-persist-" + (fsync ? "fsync" : "nofsync")).resolve("journal");
    var lease = dev.cairn.persistence.leveldb.internal.LevelDbStores.acquireIfOpen(d);
    if (lease.isEmpty()) return "";
    try (var l = lease.get()) {
      long now = System.nanoTime();
      long g = l.store().writeCount() - lastGroups;
      long t = l.store().tasksCommitted() - lastTasks;
      long w = l.store().writeNanos() - lastWriteNanos;
      double busy = lastStatsAt == 0 ? Double.NaN : 100.0 * w / (now - lastStatsAt);
      lastGroups = l.store().writeCount();
      lastTasks = l.store().tasksCommitted();
      lastWriteNanos = l.store().writeNanos();
      lastStatsAt = now;
      return String.format(Locale.ROOT, "  [%.1f writes per batch, %.3f ms per LevelDB write, %.0f%% of the time in writes]",
          g == 0 ? 0.0 : (double) t / g, g == 0 ? 0.0 : w / 1e6 / g, busy);
    }
  }

  /** Persist latency percentiles of the last {@link #persistRound}'s window. */
  private String lastLatency = "";

  /** Process CPU time per acknowledged event in the last {@link #persistRound}'s window, microseconds. */
  private double lastCpuMicrosPerEvent;

  private double persistRound(ActorSystem<Void> sys, int actors, double seconds) throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<ActorRef<BenchActor.Command>> refs = new ArrayList<>();
    List<CompletableFuture<Long>> recovered = new ArrayList<>();
    for (int i = 0; i < actors; i++) {
      CompletableFuture<Long> rec = new CompletableFuture<>();
      refs.add(sys.systemActorOf(BenchActor.create("p-" + run + "-" + i, rec, new CompletableFuture<>(), -1), "a-" + run + "-" + i, Props.empty()));
      recovered.add(rec);
    }
    CompletableFuture.allOf(recovered.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
    AtomicBoolean stop = new AtomicBoolean();
    LongAdder acked = new LongAdder();
    LatencyHistogram latency = new LatencyHistogram();
    List<CompletableFuture<Long>> done = new ArrayList<>();
    for (ActorRef<BenchActor.Command> a : refs) {
      CompletableFuture<Long> d = new CompletableFuture<>();
      done.add(d);
      a.tell(new BenchActor.PersistUntilStopped(stop, acked, latency, d));
    }
    Thread.sleep((long) (seconds * 100)); // ramp-up: 10% of the window
    latency.reset();
    long c0 = acked.sum();
    long t0 = System.nanoTime();
    long p0 = processCpuNanos();
    Thread.sleep((long) (seconds * 1000));
    long c1 = acked.sum();
    long p1 = processCpuNanos();
    long t1 = System.nanoTime();
    lastLatency = String.format(Locale.ROOT, "latency p50 %.0f, p99 %.0f, p99.9 %.0f us",
        latency.percentileMicros(0.5), latency.percentileMicros(0.99), latency.percentileMicros(0.999));
    lastCpuMicrosPerEvent = c1 == c0 ? Double.NaN : (p1 - p0) / 1e3 / (c1 - c0);
    stop.set(true);
    CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).get(60, TimeUnit.SECONDS);
    for (ActorRef<BenchActor.Command> a : refs) a.tell(new BenchActor.Stop());
    return (c1 - c0) / ((t1 - t0) / 1e9);
  }

  private void replayScenario(String journal) throws Exception {
    ActorSystem<Void> sys = system(journal, false, "replay");
    try {
      String pid = "replay-" + UUID.randomUUID();
      writeEvents(sys, pid, replayEvents, -1);
      for (int w = 0; w < 3; w++) replayOnce(sys, pid); // warm-up: the JIT is still compiling the replay path after one
      double[] rates = new double[RUNS];
      double[] cpu = new double[RUNS];
      for (int r = 0; r < RUNS; r++) {
        long c0 = processCpuNanos();
        rates[r] = replayEvents / replayOnce(sys, pid);
        cpu[r] = (processCpuNanos() - c0) / 1e3 / replayEvents;
      }
      if (Boolean.getBoolean("bench.thread-cpu")) {
        long gc0 = gcMillis();
        long p0 = processCpuNanos();
        java.util.Map<String, Long> os0 = osThreadTicks();
        java.util.Map<String, Long> before = threadCpu();
        replayOnce(sys, pid);
        java.util.Map<String, Long> after = threadCpu();
        java.util.Map<String, Long> os1 = osThreadTicks();
        java.util.Map<String, Long> osDelta = new java.util.TreeMap<>();
        os1.forEach((k, v) -> osDelta.merge(k.replaceAll("#\\d+$", "").replaceAll("\\d+$", "N"), v - os0.getOrDefault(k, 0L), Long::sum));
        osDelta.forEach((k, v) -> {
          if (v > 0) System.out.printf(Locale.ROOT, "      OS thread %-20s %d ticks%n", k, v);
        });
        System.out.printf(Locale.ROOT, "      process CPU %.3f us/event, GC pauses %d ms in that replay%n",
            (processCpuNanos() - p0) / 1e3 / replayEvents, gcMillis() - gc0);
        java.util.Map<String, Double> perGroup = new java.util.TreeMap<>();
        after.forEach((name, t) -> perGroup.merge(name.replaceAll("(-\\d+)?#\\d+$", ""), (t - before.getOrDefault(name, 0L)) / 1e3 / replayEvents, Double::sum));
        perGroup.forEach((g, us) -> {
          if (us >= 0.01) System.out.printf(Locale.ROOT, "      thread CPU %-60s %.3f us/event%n", g, us);
        });
      }
      double m = median(rates);
      results.put("replay|" + journal, m);
      // CPU of the whole process per replayed event: less sensitive than the rate to other load on the machine
      System.out.printf(Locale.ROOT, "  replay  %-14s %,d events: %,10.0f ev/s  (runs %s), process CPU %.2f us/event%n", journal, replayEvents, m, fmt(rates), median(cpu));
    } finally {
      terminate(sys);
    }
  }

  /** CPU time of every live thread by name ({@code -Dbench.thread-cpu=true}: per-thread-group cost of one replay). */
  private static java.util.Map<String, Long> threadCpu() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    java.util.Map<String, Long> m = new java.util.HashMap<>();
    for (java.lang.management.ThreadInfo ti : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (ti == null) continue;
      long t = mx.getThreadCpuTime(ti.getThreadId());
      if (t > 0) m.merge(ti.getThreadName() + "#" + ti.getThreadId(), t, Long::sum);
    }
    return m;
  }

  /** Linux only: user+system clock ticks of every thread of this process (native ones too) by OS thread name. */
  private static java.util.Map<String, Long> osThreadTicks() {
    java.util.Map<String, Long> m = new java.util.HashMap<>();
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) return m;
    for (java.io.File t : tasks) {
      try {
        String st = new String(java.nio.file.Files.readAllBytes(t.toPath().resolve("stat")), java.nio.charset.StandardCharsets.UTF_8);
        String name = st.substring(st.indexOf('(') + 1, st.lastIndexOf(')'));
        String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
        m.put(name + "#" + t.getName(), Long.parseLong(f[11]) + Long.parseLong(f[12]));
      } catch (java.io.IOException | RuntimeException e) {
        // thread ended meanwhile
      }
    }
    return m;
  }

  private static long gcMillis() {
    long t = 0;
    for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) t += Math.max(0, gc.getCollectionTime());
    return t;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private void writeEvents(ActorSystem<Void> sys, String pid, int events, long snapshotAt) throws Exception {
    CompletableFuture<Long> rec = new CompletableFuture<>();
    CompletableFuture<Long> snap = new CompletableFuture<>();
    ActorRef<BenchActor.Command> a = sys.systemActorOf(BenchActor.create(pid, rec, snap, snapshotAt), "w-" + UUID.randomUUID(), Props.empty());
    long before = rec.get(60, TimeUnit.SECONDS);
    CompletableFuture<Long> done = new CompletableFuture<>();
    a.tell(new BenchActor.PersistBatches(events / 1000, 1000, done));
    long n = done.get(600, TimeUnit.SECONDS);
    if (n != before + events) throw new IllegalStateException("state " + n + " after writing, expected " + (before + events));
    if (snapshotAt > 0) snap.get(60, TimeUnit.SECONDS);
    a.tell(new BenchActor.Stop());
  }

  /** Seconds to recover a fresh incarnation of {@code pid}. */
  private double replayOnce(ActorSystem<Void> sys, String pid) throws Exception {
    CompletableFuture<Long> rec = new CompletableFuture<>();
    long t0 = System.nanoTime();
    ActorRef<BenchActor.Command> a = sys.systemActorOf(BenchActor.create(pid, rec, new CompletableFuture<>(), -1), "r-" + UUID.randomUUID(), Props.empty());
    long n = rec.get(600, TimeUnit.SECONDS);
    double s = (System.nanoTime() - t0) / 1e9;
    a.tell(new BenchActor.Stop());
    if (n <= 0) throw new IllegalStateException("recovered " + n + " events");
    return s;
  }

  private void recoveryScenario(String journal) throws Exception {
    ActorSystem<Void> sys = system(journal, false, "recovery");
    try {
      String pid = "snap-" + UUID.randomUUID();
      int snapshotAt = 10_000;
      writeEvents(sys, pid, snapshotAt, snapshotAt);
      writeEvents(sys, pid, 1_000, -1);
      for (int i = 0; i < 5; i++) replayOnce(sys, pid); // warm-up
      double[] ms = new double[recoveries];
      for (int i = 0; i < recoveries; i++) ms[i] = replayOnce(sys, pid) * 1000;
      Arrays.sort(ms);
      double m = ms[ms.length / 2];
      results.put("recovery|" + journal, m);
      System.out.printf(Locale.ROOT, "  recover %-14s snapshot + 1,000 events: p50 %.2f ms (min %.2f, max %.2f)%n", journal, m, ms[0], ms[ms.length - 1]);
    } finally {
      terminate(sys);
    }
  }

  // ====================================================================== output

  private static String key(String scenario, String journal, boolean fsync, int actors) {
    return scenario + "|" + journal + "|" + (fsync ? "on" : "off") + "|" + actors;
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  private static String fmt(double[] v) {
    StringBuilder b = new StringBuilder();
    for (double d : v) b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f", d));
    return b.toString();
  }

  private Double get(String k) {
    return results.get(k);
  }

  private static String cell(Double v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String ratio(Double a, Double b) {
    return a == null || b == null || b == 0 ? "-" : String.format(Locale.ROOT, "%.1fx", a / b);
  }

  private void printTables() {
    System.out.println();
    System.out.println("| persist, events/s | fsync | 1 actor | 8 actors | 64 actors |");
    System.out.println("|---|---|---|---|---|");
    for (boolean fsync : new boolean[] {true, false}) {
      String f = fsync ? "on" : "off";
      for (String j : JOURNALS) {
        if (get(key("persist", j, fsync, 1)) == null) continue;
        System.out.printf("| %s | %s | %s | %s | %s |%n", j, f,
            cell(get(key("persist", j, fsync, 1))), cell(get(key("persist", j, fsync, 8))), cell(get(key("persist", j, fsync, 64))));
      }
      System.out.printf("| **cairn / pekko-leveldb** | %s | %s | %s | %s |%n", f,
          ratio(get(key("persist", "cairn", fsync, 1)), get(key("persist", "pekko-leveldb", fsync, 1))),
          ratio(get(key("persist", "cairn", fsync, 8)), get(key("persist", "pekko-leveldb", fsync, 8))),
          ratio(get(key("persist", "cairn", fsync, 64)), get(key("persist", "pekko-leveldb", fsync, 64))));
    }
    System.out.println();
    System.out.println("| journal | replay 200,000 events, events/s | recovery snapshot + 1,000 events, p50 ms |");
    System.out.println("|---|---|---|");
    for (String j : JOURNALS) {
      if (get("replay|" + j) == null) continue;
      Double rec = get("recovery|" + j);
      System.out.printf(Locale.ROOT, "| %s | %s | %s |%n", j, cell(get("replay|" + j)), rec == null ? "-" : String.format(Locale.ROOT, "%.2f", rec));
    }
    Double rc = get("recovery|cairn");
    Double rp = get("recovery|pekko-leveldb");
    System.out.printf("| **cairn / pekko-leveldb** | %s | %s faster |%n", ratio(get("replay|cairn"), get("replay|pekko-leveldb")),
        rc == null || rp == null ? "-" : ratio(rp, rc));
    if (get("raw|batch1000") != null) {
      System.out.println();
      System.out.println("| raw leveldbjni | records/s |");
      System.out.println("|---|---|");
      System.out.printf("| write, one 2-put batch per record | %s |%n", cell(get("raw|batch1")));
      System.out.printf("| write, batches of 1,000 | %s |%n", cell(get("raw|batch1000")));
      System.out.printf("| iterate | %s |%n", cell(get("raw|iterate")));
      System.out.printf("| synced batches of 1 record, batches/s | %s |%n", cell(get("raw|sync1")));
      System.out.printf("| synced batches of 32 records, batches/s | %s |%n", cell(get("raw|sync32")));
    }
    System.out.println();
    System.out.println("Targets (ratio vs pekko-leveldb in this run; inmem: Pekko's in-memory journal, which does no I/O and no");
    System.out.println("serialization but answers through Pekko's AsyncWriteJournal; ceiling: CeilingJournal, no journal at all, the");
    System.out.println("framework's upper bound; ceiling-serde: the same plus Pekko serialization; each against the same pekko-leveldb number):");
    Double pekkoOn64 = get(key("persist", "pekko-leveldb", true, 64));
    Double pekkoOff1 = get(key("persist", "pekko-leveldb", false, 1));
    Double pekkoOff64 = get(key("persist", "pekko-leveldb", false, 64));
    Double pekkoReplay = get("replay|pekko-leveldb");
    target("fsync on, 64 actors >= 20x", get(key("persist", "cairn", true, 64)), pekkoOn64, 20, refs(j -> key("persist", j, false, 64), pekkoOn64));
    target("fsync off, 1 actor >= 4x", get(key("persist", "cairn", false, 1)), pekkoOff1, 4, refs(j -> key("persist", j, false, 1), pekkoOff1));
    target("fsync off, 64 actors >= 3x", get(key("persist", "cairn", false, 64)), pekkoOff64, 3, refs(j -> key("persist", j, false, 64), pekkoOff64));
    target("replay >= 5x", get("replay|cairn"), pekkoReplay, 5, refs(j -> "replay|" + j, pekkoReplay));
  }

  /** The journals without a disk (in-memory, ceilings) measured in this run, as ratios against {@code pekko}. */
  private String refs(java.util.function.Function<String, String> keyOf, Double pekko) {
    StringBuilder b = new StringBuilder();
    for (String j : JOURNALS) {
      Double v = get(keyOf.apply(j));
      if (onDisk(j) || v == null || pekko == null || pekko == 0) continue;
      b.append(String.format(Locale.ROOT, "   (%s %.1fx)", j, v / pekko));
    }
    return b.toString();
  }

  private static void target(String name, Double cairn, Double pekko, double want, String refs) {
    if (cairn == null || pekko == null) return;
    double r = cairn / pekko;
    System.out.printf(Locale.ROOT, "  %-28s %6.1fx  %-7s%s%n", name, r, r >= want ? "met" : "NOT met", refs);
  }

  static void deleteQuietly(Path p) {
    try {
      if (Files.exists(p)) {
        try (var s = Files.walk(p)) {
          s.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
        }
      }
    } catch (IOException e) {
      // best effort
    }
  }
}
