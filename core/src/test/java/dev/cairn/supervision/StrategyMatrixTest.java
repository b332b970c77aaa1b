package dev.cairn.supervision;

import static dev.cairn.supervision.Kit.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every restart strategy x restart type x (normal exit, failure): the middle child "b" of a, b, c terminates;
 * events and child lifecycles prove exactly which children restarted, in which order.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StrategyMatrixTest {
  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    for (RestartStrategy s : RestartStrategy.values()) {
      for (RestartType t : RestartType.values()) {
        all.add(Arguments.of(s, t, true));
        all.add(Arguments.of(s, t, false));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1} failure={2}")
  @MethodSource("cases")
  @SuppressWarnings("unchecked")
  void middleChildTerminationRestartsExactlyWhatTheStrategySays(RestartStrategy strategy, RestartType type, boolean failure) {
    String sup = "m-" + strategy + "-" + type + "-" + failure;
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    TestProbe<String> life = testKit.createTestProbe();
    SupervisorSpec spec = SupervisorSpec.of(sup, strategy).withIntensity(10, Duration.ofMinutes(1))
        .withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("a", () -> Kit.worker("a", life.ref())))
        .withChild(ChildSpec.worker("b", () -> Kit.worker("b", life.ref())).withRestartType(type))
        .withChild(ChildSpec.worker("c", () -> Kit.worker("c", life.ref())));
    ActorRef<Supervisor.Command> ref = testKit.spawn(Supervisor.create(spec));
    Kit.expectCodes(events, sup + "/started:a", sup + "/started:b", sup + "/started:c");
    assertEquals(List.of("start:a", "start:b", "start:c"), Kit.receiveStrings(life, 3));

    ref.tell(new Supervisor.TellChild("b", failure ? new Kit.Fail("matrix") : new Kit.Exit()));

    boolean restarted = type == RestartType.PERMANENT || (type == RestartType.TRANSIENT && failure);
    List<String> expected = new ArrayList<>();
    expected.add(sup + (failure ? "/failed:b" : "/exited:b"));
    List<String> stopsAfterB = new ArrayList<>(); // lifecycle "stop:x" after b's own stop
    List<String> starts = new ArrayList<>();
    if (restarted) {
      switch (strategy) {
        case ONE_FOR_ONE:
          expected.add(sup + "/restarted:b");
          starts.add("start:b");
          break;
        case ONE_FOR_ALL:
          Collections.addAll(expected, sup + "/stopped:c", sup + "/stopped:a", sup + "/restarted:a", sup + "/restarted:b",
              sup + "/restarted:c");
          Collections.addAll(stopsAfterB, "stop:c", "stop:a");
          Collections.addAll(starts, "start:a", "start:b", "start:c");
          break;
        case REST_FOR_ONE:
          Collections.addAll(expected, sup + "/stopped:c", sup + "/restarted:b", sup + "/restarted:c");
          stopsAfterB.add("stop:c");
          Collections.addAll(starts, "start:b", "start:c");
          break;
        default:
          throw new AssertionError(strategy);
      }
    }
    assertEquals(expected, Kit.receiveCodes(events, expected.size()));
    // b stopped first, then the siblings in reverse start order; restarts in any thread order but exactly these
    List<String> life1 = Kit.receiveStrings(life, 1 + stopsAfterB.size() + starts.size());
    assertEquals("stop:b", life1.get(0));
    assertEquals(stopsAfterB, life1.subList(1, 1 + stopsAfterB.size()));
    List<String> actualStarts = new ArrayList<>(life1.subList(1 + stopsAfterB.size(), life1.size()));
    Collections.sort(actualStarts);
    assertEquals(starts, actualStarts);
    events.expectNoMessage(Duration.ofMillis(200));
    life.expectNoMessage(Duration.ofMillis(50));

    TestProbe<List<Supervisor.ChildInfo>> which = testKit.createTestProbe();
    ref.tell(new Supervisor.WhichChildren(which.ref()));
    List<Supervisor.ChildInfo> infos = which.expectMessageClass(List.class, WAIT);
    List<String> ids = infos.stream().map(i -> i.id() + (i.running() ? "+" : "-")).toList();
    if (type == RestartType.TEMPORARY) {
      assertEquals(List.of("a+", "c+"), ids);
    } else {
      assertEquals(List.of("a+", restarted ? "b+" : "b-", "c+"), ids);
    }
    testKit.stop(ref);
  }
}
