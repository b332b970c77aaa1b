package dev.cairn.bench.supervision;

import com.typesafe.config.ConfigFactory;
import dev.cairn.supervision.ChildSpec;
import dev.cairn.supervision.Supervisor;
import dev.cairn.supervision.SupervisorSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Restart latency of supervised actors, side by side in one JVM and one run:
 * <ul>
 *   <li>{@code pekko-restart}: one child under Pekko's {@code Behaviors.supervise(...).onFailure(SupervisorStrategy.restart())}</li>
 *   <li>{@code cairn-one-for-one}: one child of a Cairn ONE_FOR_ONE supervisor</li>
 *   <li>{@code cairn-one-for-all-10}: a Cairn ONE_FOR_ALL supervisor of 10 children, the first one fails</li>
 * </ul>
 * One sample is the time from sending the failing message until every restarted child has run its setup again.
 * Failures are not logged by either side (Pekko: {@code withLoggingEnabled(false)}, Cairn: failure log level DEBUG with
 * the root logger at WARN), so the numbers compare supervision, not logging.
 *
 * <p>Run (see docs/benchmarks.md): {@code java -cp ... dev.cairn.bench.supervision.RestartLatencyBench [rounds] [warmup]
 * [iterations] [scenario,scenario...]} (the last argument, for profiling, runs only the named scenarios; the ratio
 * column is relative to the first one run).
 */
public final class RestartLatencyBench {

  interface Msg {}

  enum Fail implements Msg { INSTANCE }

  /** Restartable child: signals the driver each time its setup runs, throws on Fail. */
  static Behavior<Msg> child(BlockingQueue<Long> ready) {
    return Behaviors.setup(ctx -> {
      ready.offer(System.nanoTime());
      return Behaviors.receive(Msg.class).onMessage(Fail.class, f -> {
        throw new IllegalStateException("benchmark failure");
      }).build();
    });
  }

  private interface Scenario {
    String name();

    /** Triggers one failure and waits until the restart completed; returns the latency in nanoseconds. */
    long once() throws Exception;

    void close();
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 10000;
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "restart-bench",
        ConfigFactory.parseString("pekko.loglevel = WARNING\npekko.log-dead-letters = off")
            .withFallback(ConfigFactory.load()));
    try {
      List<String> only = args.length > 3 ? List.of(args[3].split(",")) : List.of();
      List<Scenario> scenarios = new ArrayList<>();
      for (Scenario sc : List.of(pekko(system), cairnOneForOne(system), cairnOneForAll(system, 10))) {
        if (only.isEmpty() || only.contains(sc.name())) {
          scenarios.add(sc);
        }
      }
      double[][] p50 = new double[scenarios.size()][rounds];
      double[][] p99 = new double[scenarios.size()][rounds];
      for (int r = 0; r < rounds; r++) {
        for (int s = 0; s < scenarios.size(); s++) {
          Scenario sc = scenarios.get(s);
          for (int i = 0; i < warmup; i++) {
            sc.once();
          }
          long[] samples = new long[iterations];
          for (int i = 0; i < iterations; i++) {
            samples[i] = sc.once();
          }
          Arrays.sort(samples);
          p50[s][r] = samples[iterations / 2] / 1000.0;
          p99[s][r] = samples[(int) (iterations * 0.99)] / 1000.0;
        }
      }
      System.out.printf(Locale.ROOT, "Restart latency, %d rounds x %d restarts (after %d warm-up), medians of the rounds%n",
          rounds, iterations, warmup);
      System.out.printf(Locale.ROOT, "| %-22s | %10s | %10s | %14s |%n", "scenario", "p50 (us)", "p99 (us)", "p50 vs pekko");
      System.out.printf(Locale.ROOT, "|%s|%s|%s|%s|%n", "-".repeat(24), "-".repeat(12), "-".repeat(12), "-".repeat(16));
      double base = median(p50[0]);
      for (int s = 0; s < scenarios.size(); s++) {
        System.out.printf(Locale.ROOT, "| %-22s | %10.1f | %10.1f | %13.2fx |%n", scenarios.get(s).name(), median(p50[s]),
            median(p99[s]), median(p50[s]) / base);
      }
      scenarios.forEach(Scenario::close);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static double median(double[] xs) {
    double[] c = xs.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }

  private static long await(BlockingQueue<Long> ready) throws InterruptedException {
    Long t = ready.poll(10, TimeUnit.SECONDS);
    if (t == null) {
      throw new IllegalStateException("no restart within 10 s");
    }
    return t;
  }

  private static Scenario pekko(ActorSystem<Void> system) throws Exception {
    BlockingQueue<Long> ready = new LinkedBlockingQueue<>();
    Behavior<Msg> b = Behaviors.supervise(child(ready)).onFailure(SupervisorStrategy.restart().withLoggingEnabled(false));
    ActorRef<Msg> ref = spawn(system, b, "pekko-restart");
    await(ready);
    return new Scenario() {
      public String name() {
        return "pekko-restart";
      }

      public long once() throws Exception {
        long t0 = System.nanoTime();
        ref.tell(Fail.INSTANCE);
        return await(ready) - t0;
      }

      public void close() {}
    };
  }

  private static SupervisorSpec benchSpec(SupervisorSpec spec) {
    return spec.withIntensity(Integer.MAX_VALUE, Duration.ofSeconds(1)).withFailureLogLevel(Level.DEBUG);
  }

  private static Scenario cairnOneForOne(ActorSystem<Void> system) throws Exception {
    BlockingQueue<Long> ready = new LinkedBlockingQueue<>();
    SupervisorSpec spec = benchSpec(SupervisorSpec.oneForOne("bench-one-for-one"))
        .withChild(ChildSpec.worker("c", () -> child(ready)));
    ActorRef<Supervisor.Command> sup = spawn(system, Supervisor.create(spec), "cairn-one-for-one");
    await(ready);
    // a one-for-one restart after a failure keeps the child's ref, so the driver talks to it directly like to Pekko's
    CompletionStage<List<Supervisor.ChildInfo>> which =
        AskPattern.ask(sup, Supervisor.WhichChildren::new, Duration.ofSeconds(10), system.scheduler());
    ActorRef<Msg> ref = which.toCompletableFuture().get(10, TimeUnit.SECONDS).get(0).<Msg>refAs().orElseThrow();
    return new Scenario() {
      public String name() {
        return "cairn-one-for-one";
      }

      public long once() throws Exception {
        long t0 = System.nanoTime();
        ref.tell(Fail.INSTANCE);
        return await(ready) - t0;
      }

      public void close() {}
    };
  }

  private static Scenario cairnOneForAll(ActorSystem<Void> system, int n) throws Exception {
    BlockingQueue<Long> ready = new LinkedBlockingQueue<>();
    SupervisorSpec spec = benchSpec(SupervisorSpec.oneForAll("bench-one-for-all"));
    List<ChildSpec<?>> children = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      children.add(ChildSpec.worker("c" + i, () -> child(ready)));
    }
    ActorRef<Supervisor.Command> sup = spawn(system, Supervisor.create(spec.withChildren(children)), "cairn-one-for-all");
    for (int i = 0; i < n; i++) {
      await(ready);
    }
    return new Scenario() {
      public String name() {
        return "cairn-one-for-all-" + n;
      }

      public long once() throws Exception {
        long t0 = System.nanoTime();
        // refs change on group restarts: address the child by id through the supervisor (one hop more)
        sup.tell(new Supervisor.TellChild("c0", Fail.INSTANCE));
        long last = 0;
        for (int i = 0; i < n; i++) {
          last = Math.max(last, await(ready));
        }
        return last - t0;
      }

      public void close() {}
    };
  }

  private static <T> ActorRef<T> spawn(ActorSystem<Void> system, Behavior<T> behavior, String name) {
    return system.systemActorOf(behavior, name, org.apache.pekko.actor.typed.Props.empty());
  }
}
