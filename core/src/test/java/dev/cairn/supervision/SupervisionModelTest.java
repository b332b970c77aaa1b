package dev.cairn.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.event.Level;

/**
 * Randomized model test: a 3-level tree (a root with each strategy in turn, three middle supervisors with one
 * strategy each, four leaves each)
 * gets random failures and normal exits injected at random leaves while an injected clock moves on. A pure Java
 * model predicts every supervisor's events (which children restart or stop, which supervisors escalate); the
 * actual events of every supervisor must equal the model's after every step.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SupervisionModelTest {
  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  static final int STEPS = 1000;
  static final int MID_MAX = 2;
  static final Duration MID_PERIOD = Duration.ofSeconds(5);
  static final List<String> LEAVES = List.of("l1", "l2", "l3", "l4");
  static final List<RestartType> LEAF_TYPES =
      List.of(RestartType.PERMANENT, RestartType.TRANSIENT, RestartType.TEMPORARY, RestartType.PERMANENT);
  static final Map<String, RestartStrategy> MIDS = new LinkedHashMap<>();

  static {
    MIDS.put("mid1", RestartStrategy.ONE_FOR_ALL);
    MIDS.put("mid2", RestartStrategy.REST_FOR_ONE);
    MIDS.put("mid3", RestartStrategy.ONE_FOR_ONE);
  }

  // ------------------------------------------------------------ the model

  static final class Leaf {
    final String id;
    final RestartType type;
    boolean running = true;

    Leaf(String id, RestartType type) {
      this.id = id;
      this.type = type;
    }
  }

  static final class MidModel {
    final String name;
    final RestartStrategy strategy;
    List<Leaf> leaves = new ArrayList<>();
    ArrayDeque<Instant> restarts = new ArrayDeque<>();

    MidModel(String name, RestartStrategy strategy) {
      this.name = name;
      this.strategy = strategy;
      fresh();
    }

    void fresh() {
      leaves = new ArrayList<>();
      for (int i = 0; i < LEAVES.size(); i++) {
        leaves.add(new Leaf(LEAVES.get(i), LEAF_TYPES.get(i)));
      }
      restarts = new ArrayDeque<>();
    }
  }

  static boolean withinIntensity(ArrayDeque<Instant> restarts, Instant now, int max, Duration period) {
    while (!restarts.isEmpty() && !restarts.peekFirst().isAfter(now.minus(period))) {
      restarts.pollFirst();
    }
    restarts.addLast(now);
    return restarts.size() <= max;
  }

  /** Predicts the events of one leaf terminating, appended per supervisor name. */
  static void predict(Map<String, MidModel> mids, RestartStrategy rootStrategy, MidModel m, Leaf x, boolean failure,
      Instant now, Map<String, List<String>> out) {
    List<String> ev = out.computeIfAbsent(m.name, k -> new ArrayList<>());
    ev.add(m.name + (failure ? "/failed:" : "/exited:") + x.id);
    x.running = false;
    boolean restart = x.type == RestartType.PERMANENT || (x.type == RestartType.TRANSIENT && failure);
    if (!restart) {
      if (x.type == RestartType.TEMPORARY) {
        m.leaves.remove(x);
      }
      return;
    }
    if (!withinIntensity(m.restarts, now, MID_MAX, MID_PERIOD)) {
      ev.add(m.name + "/intensity");
      stopLeavesInReverse(m, ev);
      ev.add(m.name + "/escalated");
      escalateToRoot(mids, rootStrategy, m, out);
      return;
    }
    List<Leaf> group = group(m.strategy, m.leaves, x);
    List<Leaf> rev = new ArrayList<>(group);
    Collections.reverse(rev);
    for (Leaf g : rev) {
      if (g != x && g.running) {
        ev.add(m.name + "/stopped:" + g.id);
        g.running = false;
      }
    }
    for (Leaf g : group) {
      if (g != x && g.type == RestartType.TEMPORARY) {
        m.leaves.remove(g);
      } else {
        ev.add(m.name + "/restarted:" + g.id);
        g.running = true;
      }
    }
  }

  static <T> List<T> group(RestartStrategy strategy, List<T> all, T x) {
    switch (strategy) {
      case ONE_FOR_ONE:
        return new ArrayList<>(List.of(x));
      case ONE_FOR_ALL:
        return new ArrayList<>(all);
      case REST_FOR_ONE:
        return new ArrayList<>(all.subList(all.indexOf(x), all.size()));
      default:
        throw new AssertionError(strategy);
    }
  }

  static void stopLeavesInReverse(MidModel m, List<String> ev) {
    List<Leaf> rev = new ArrayList<>(m.leaves);
    Collections.reverse(rev);
    for (Leaf g : rev) {
      if (g.running) {
        ev.add(m.name + "/stopped:" + g.id);
        g.running = false;
      }
    }
  }

  /** The root (within its intensity) restarts the escalating mid and, by its strategy, its siblings. */
  static void escalateToRoot(Map<String, MidModel> mids, RestartStrategy rootStrategy, MidModel m,
      Map<String, List<String>> out) {
    List<String> root = out.computeIfAbsent("root", k -> new ArrayList<>());
    root.add("root/failed:" + m.name);
    List<MidModel> group = group(rootStrategy, new ArrayList<>(mids.values()), m);
    List<MidModel> rev = new ArrayList<>(group);
    Collections.reverse(rev);
    for (MidModel g : rev) {
      if (g != m) { // a sibling supervisor stops its children in reverse order, then itself
        List<String> gev = out.computeIfAbsent(g.name, k -> new ArrayList<>());
        stopLeavesInReverse(g, gev);
        gev.add(g.name + "/supervisor-stopped");
        root.add("root/stopped:" + g.name);
      }
    }
    for (MidModel g : group) {
      root.add("root/restarted:" + g.name);
      g.fresh();
      List<String> gev = out.computeIfAbsent(g.name, k -> new ArrayList<>());
      for (Leaf l : g.leaves) {
        gev.add(g.name + "/started:" + l.id);
      }
    }
  }

  // ------------------------------------------------------------ the test

  @ParameterizedTest(name = "root {0}")
  @EnumSource(RestartStrategy.class)
  void actualEventsMatchTheModelAtEveryStep(RestartStrategy rootStrategy) {
    long seed = Long.getLong("cairn.model.seed", 20261121L);
    Random random = new Random(seed);
    Kit.MutableClock clock = new Kit.MutableClock();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    ActorRef<String> sink = testKit.spawn(Behaviors.ignore());

    SupervisorSpec root = SupervisorSpec.of("root", rootStrategy).withIntensity(100_000, Duration.ofSeconds(1)).withClock(clock)
        .withListener(events.ref()::tell).withEventStreamPublishing(false).withFailureLogLevel(Level.DEBUG);
    Map<String, MidModel> model = new LinkedHashMap<>();
    for (Map.Entry<String, RestartStrategy> e : MIDS.entrySet()) {
      SupervisorSpec mid = SupervisorSpec.of(e.getKey(), e.getValue()).withIntensity(MID_MAX, MID_PERIOD).withClock(clock)
          .withListener(events.ref()::tell).withEventStreamPublishing(false).withFailureLogLevel(Level.DEBUG);
      for (int i = 0; i < LEAVES.size(); i++) {
        String id = LEAVES.get(i);
        mid = mid.withChild(ChildSpec.worker(id, () -> Kit.worker(id, sink)).withRestartType(LEAF_TYPES.get(i)));
      }
      root = root.withChild(ChildSpec.supervisor(e.getKey(), mid));
      model.put(e.getKey(), new MidModel(e.getKey(), e.getValue()));
    }
    ActorRef<Supervisor.Command> rootRef = testKit.spawn(Supervisor.create(root), "model-root-" + rootStrategy);

    // initial start: every mid starts its leaves in order, the root its mids
    Map<String, List<String>> expected = new TreeMap<>();
    for (String mid : MIDS.keySet()) {
      for (String leaf : LEAVES) {
        expected.computeIfAbsent(mid, k -> new ArrayList<>()).add(mid + "/started:" + leaf);
      }
      expected.computeIfAbsent("root", k -> new ArrayList<>()).add("root/started:" + mid);
    }
    check(events, expected, seed, -1, "initial start (root " + rootStrategy + ")");

    int failures = 0;
    int escalations = 0;
    for (int step = 0; step < STEPS; step++) {
      clock.advance(Duration.ofMillis(random.nextInt(3000)));
      List<String> mids = new ArrayList<>(model.keySet());
      MidModel m = model.get(mids.get(random.nextInt(mids.size())));
      List<Leaf> running = m.leaves.stream().filter(l -> l.running).toList();
      if (running.isEmpty()) {
        continue;
      }
      Leaf x = running.get(random.nextInt(running.size()));
      boolean failure = random.nextInt(3) != 0;
      Map<String, List<String>> exp = new TreeMap<>();
      predict(model, rootStrategy, m, x, failure, clock.instant(), exp);
      failures += failure ? 1 : 0;
      escalations += exp.containsKey("root") ? 1 : 0;
      Object action = failure ? new Kit.Fail("step " + step) : new Kit.Exit();
      rootRef.tell(new Supervisor.TellChild(m.name, new Supervisor.TellChild(x.id, action)));
      check(events, exp, seed, step, "root " + rootStrategy + ", " + (failure ? "failure of " : "exit of ") + m.name + "/" + x.id);
    }
    events.expectNoMessage(Duration.ofMillis(300));
    // the run must have exercised escalation and every strategy, or it proves little
    org.junit.jupiter.api.Assertions.assertTrue(escalations > 5 && failures > 300,
        "seed " + seed + ": too few escalations (" + escalations + ") or failures (" + failures + ")");
    testKit.stop(rootRef);
  }

  private static void check(TestProbe<SupervisionEvent> events, Map<String, List<String>> expected, long seed, int step,
      String what) {
    int n = expected.values().stream().mapToInt(List::size).sum();
    Map<String, List<String>> actual = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      String code;
      try {
        code = Kit.code(events.expectMessageClass(SupervisionEvent.class, Kit.WAIT));
      } catch (AssertionError timeout) {
        throw new AssertionError("seed " + seed + " (-Dcairn.model.seed=" + seed + "), step " + step + ": " + what
            + ": expected " + expected + " but only got " + actual, timeout);
      }
      actual.computeIfAbsent(code.substring(0, code.indexOf('/')), k -> new ArrayList<>()).add(code);
    }
    assertEquals(expected, actual, "seed " + seed + " (-Dcairn.model.seed=" + seed + "), step " + step + ": " + what);
  }
}
