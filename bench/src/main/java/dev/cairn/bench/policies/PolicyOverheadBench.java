package dev.cairn.bench.policies;

import ch.qos.logback.classic.Level;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cairn.persistence.CairnSerializable;
import dev.cairn.persistence.Effect;
import dev.cairn.persistence.EventSourcedActor;
import dev.cairn.persistence.RollbackPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.slf4j.LoggerFactory;

/**
 * Policy-layer overhead: a plain Pekko {@code EventSourcedBehavior} against the same actor
 * written as a Cairn {@link EventSourcedActor}, on the same journal (Pekko's in-memory journal),
 * in the same JVM run, side by side. Measures persist throughput of one actor (commands sent
 * back to back, one event each) and recovery time of a journal of N events (full replay).
 *
 * <p>Run (from the repository root):
 *
 * <pre>
 * mvn -B -q -pl bench -am package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
 * java -XX:+AlwaysPreTouch -Xms2g -Xmx2g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
 *     dev.cairn.bench.policies.PolicyOverheadBench 100000 5
 * </pre>
 *
 * Arguments: events per run (default 100000), measured rounds (default 3; medians are reported).
 */
public final class PolicyOverheadBench {

  private PolicyOverheadBench() {}

  // ------------------------------------------------------------------ the measured actor, twice

  public interface Cmd {}

  public record Add(long amount, ActorRef<Long> replyTo) implements Cmd {}

  public record Get(ActorRef<Long> replyTo) implements Cmd {}

  public record Added(long amount) implements CairnSerializable {}

  public record Sum(long value) implements CairnSerializable {}

  /** The baseline: plain Pekko Persistence Typed. */
  static final class PlainCounter extends EventSourcedBehavior<Cmd, Added, Sum> {
    PlainCounter(String id) {
      super(PersistenceId.ofUniqueId(id));
    }

    @Override
    public Sum emptyState() {
      return new Sum(0);
    }

    @Override
    public CommandHandler<Cmd, Added, Sum> commandHandler() {
      return (state, cmd) -> {
        if (cmd instanceof Add a) return Effect().persist(new Added(a.amount())).thenReply(a.replyTo(), Sum::value);
        Get g = (Get) cmd;
        return Effect().none().thenReply(g.replyTo(), Sum::value);
      };
    }

    @Override
    public EventHandler<Sum, Added> eventHandler() {
      return (state, e) -> new Sum(state.value() + e.amount());
    }
  }

  static Effect<Added, Sum> onCommand(Sum state, Cmd cmd) {
    if (cmd instanceof Add a) return Effect.<Added, Sum>persist(new Added(a.amount())).thenReply(a.replyTo(), Sum::value);
    return Effect.<Added, Sum>none().thenReply(((Get) cmd).replyTo(), Sum::value);
  }

  static Sum onEvent(Sum state, Added e) {
    return new Sum(state.value() + e.amount());
  }

  enum Variant {
    PLAIN("plain EventSourcedBehavior"),
    PLAIN_INTERCEPTED("plain + one no-op interceptor"),
    CAIRN("Cairn, default policies"),
    CAIRN_FULL("Cairn, invariant + rollback policy");

    final String label;

    Variant(String label) {
      this.label = label;
    }

    Behavior<Cmd> behavior(String id) {
      return switch (this) {
        case PLAIN -> new PlainCounter(id);
        case PLAIN_INTERCEPTED -> withNoOpInterceptor(new PlainCounter(id));
        case CAIRN -> EventSourcedActor.of(PersistenceId.ofUniqueId(id), new Sum(0),
            PolicyOverheadBench::onCommand, PolicyOverheadBench::onEvent).behavior();
        case CAIRN_FULL -> EventSourcedActor.of(PersistenceId.ofUniqueId(id), new Sum(0),
                PolicyOverheadBench::onCommand, PolicyOverheadBench::onEvent)
            .withInvariant("sum is not negative", s -> s.value() >= 0)
            .withRollbackPolicy(RollbackPolicy.toLastCheckpoint().onException(IllegalStateException.class).onInvariantViolation())
            .behavior();
      };
    }
  }

  /**
   * The plain behaviour behind one interceptor that does nothing but pass every message on, as
   * Cairn's runtime (which restarts the inner behaviour for redo) has one: the cost of that layer
   * alone, which every message, each replayed event included, pays.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Behavior<Cmd> withNoOpInterceptor(Behavior<Cmd> inner) {
    BehaviorInterceptor<Object, Object> passOn = new BehaviorInterceptor<>(Object.class) {
      @Override
      public Behavior<Object> aroundReceive(TypedActorContext<Object> c, Object msg, ReceiveTarget<Object> target) {
        return target.apply(c, msg);
      }
    };
    return (Behavior) Behaviors.intercept(() -> passOn, (Behavior<Object>) (Behavior) inner);
  }

  // ------------------------------------------------------------------ harness

  private static final int WINDOW = 1000;
  /** Recoveries of each variant's actor per round; the recovery column is the median over all of them. */
  private static final int RECOVERIES_PER_ROUND = 5;
  private static int spawned;

  static <T> ActorRef<T> spawn(ActorSystem<?> system, Behavior<T> b) {
    return system.systemActorOf(b, "bench-" + (spawned++), Props.empty());
  }

  static void stop(ActorSystem<?> system, ActorRef<?> ref) {
    org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(system)
        .stop(org.apache.pekko.actor.typed.javadsl.Adapter.toClassic(ref));
  }

  /** Events per second for {@code n} back-to-back commands to a fresh actor. */
  static double persistRate(ActorSystem<?> system, Variant v, String id, int n) throws Exception {
    CountDownLatch done = new CountDownLatch(n);
    // at most WINDOW commands in flight, well below Pekko's stash capacity
    java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(WINDOW);
    ActorRef<Long> sink = spawn(system, Behaviors.receiveMessage(x -> {
      window.release();
      done.countDown();
      return Behaviors.same();
    }));
    ActorRef<Cmd> actor = spawn(system, v.behavior(id));
    awaitReady(system, actor);
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      window.acquire();
      actor.tell(new Add(1, sink));
    }
    if (!done.await(2, TimeUnit.MINUTES)) throw new IllegalStateException("persist run did not finish");
    double secs = (System.nanoTime() - start) / 1e9;
    stop(system, actor);
    stop(system, sink);
    return n / secs;
  }

  /** Milliseconds from spawn to the first reply, for a journal already holding the events of {@code id}. */
  static double recoveryMillis(ActorSystem<?> system, Variant v, String id, long expected) throws Exception {
    long start = System.nanoTime();
    ActorRef<Cmd> actor = spawn(system, v.behavior(id));
    long value = awaitReady(system, actor);
    double ms = (System.nanoTime() - start) / 1e6;
    if (value != expected) throw new IllegalStateException(v + " recovered " + value + ", expected " + expected);
    stop(system, actor);
    return ms;
  }

  static long awaitReady(ActorSystem<?> system, ActorRef<Cmd> actor) throws Exception {
    CompletionStage<Long> r = AskPattern.ask(actor, Get::new, Duration.ofMinutes(2), system.scheduler());
    return r.toCompletableFuture().get(2, TimeUnit.MINUTES);
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  public static void main(String[] args) throws Exception {
    int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
    Config config = ConfigFactory.parseString(
            "pekko.loglevel = WARNING\n"
                + "pekko.persistence.journal.plugin = \"pekko.persistence.journal.inmem\"\n"
                + "pekko.persistence.typed.log-stashing = off\n")
        .withFallback(PersistenceTestKitSnapshotPlugin.getInstance().config())
        .withFallback(ConfigFactory.load());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "policy-bench", config);
    try {
      Variant[] variants = Variant.values();
      // warm-up: every variant persists and recovers once
      for (Variant v : variants) {
        persistRate(system, v, "warm-" + v, events / 2);
        recoveryMillis(system, v, "warm-" + v, events / 2);
      }
      List<List<Double>> persist = new ArrayList<>();
      List<List<Double>> recovery = new ArrayList<>();
      for (Variant v : variants) {
        persist.add(new ArrayList<>());
        recovery.add(new ArrayList<>());
      }
      for (int r = 0; r < rounds; r++) {
        // interleave the variants inside each round so drift hits all of them alike
        for (int k = 0; k < variants.length; k++) {
          int i = (k + r) % variants.length;
          String id = "run-" + r + "-" + variants[i];
          // the in-memory journal keeps every event: collect before each measurement so GC hits all alike
          System.gc();
          persist.get(i).add(persistRate(system, variants[i], id, events));
        }
        // a recovery takes ~60 ms, so one GC pause or scheduling hiccup moves it by 10-20%:
        // recover every variant's actor of this round several times, interleaved
        System.gc();
        for (int rep = 0; rep < RECOVERIES_PER_ROUND; rep++) {
          for (int k = 0; k < variants.length; k++) {
            int i = (k + rep + r) % variants.length;
            recovery.get(i).add(recoveryMillis(system, variants[i], "run-" + r + "-" + variants[i], events));
          }
        }
      }
      double basePersist = median(persist.get(0));
      double baseRecovery = median(recovery.get(0));
      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "Policy overhead, Pekko in-memory journal, 1 actor, %d events, median of %d rounds (recovery: of %d)%n", events, rounds,
          rounds * RECOVERIES_PER_ROUND));
      out.append(String.format(Locale.ROOT, "| %-46s | %14s | %9s | %18s | %9s |%n", "variant", "persist ev/s", "overhead", "recovery ms", "overhead"));
      out.append(String.format(Locale.ROOT, "|%s|%s|%s|%s|%s|%n", "-".repeat(48), "-".repeat(16), "-".repeat(11), "-".repeat(20), "-".repeat(11)));
      for (int i = 0; i < variants.length; i++) {
        double p = median(persist.get(i));
        double rec = median(recovery.get(i));
        out.append(String.format(Locale.ROOT, "| %-46s | %14.0f | %8.1f%% | %18.1f | %8.1f%% |%n", variants[i].label, p,
            100.0 * (basePersist / p - 1), rec, 100.0 * (rec / baseRecovery - 1)));
      }
      // plain stdout: this is a benchmark main, not library code
      System.out.print(out);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
  }
}
