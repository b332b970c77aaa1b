package dev.cairn.supervision;

import static dev.cairn.supervision.Kit.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.event.Level;

/** Flat, ordered failure rules on a plain behavior: the first matching rule decides. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailurePolicyTest {
  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  record Inc() {}

  record Get(ActorRef<Integer> replyTo) {}

  record Boom(RuntimeException e) {}

  static Behavior<Object> counter(ActorRef<String> life) {
    return Behaviors.setup(ctx -> {
      life.tell("start");
      return counting(0);
    });
  }

  static Behavior<Object> counting(int n) {
    return Behaviors.receive(Object.class)
        .onMessage(Inc.class, i -> counting(n + 1))
        .onMessage(Get.class, g -> {
          g.replyTo().tell(n);
          return Behaviors.same();
        })
        .onMessage(Boom.class, b -> {
          throw b.e();
        })
        .build();
  }

  @SuppressWarnings("unchecked")
  private ActorRef<Object> watched(FailurePolicy policy, TestProbe<String> life, TestProbe<Kit.Outcome> outcome) {
    TestProbe<ActorRef<Object>> refs = testKit.createTestProbe();
    testKit.spawn(Kit.watcher(policy.applyTo(counter(life.ref())), refs.ref(), outcome.ref()));
    life.expectMessage(WAIT, "start");
    return refs.expectMessageClass(ActorRef.class, WAIT);
  }

  private int count(ActorRef<Object> ref) {
    TestProbe<Integer> p = testKit.createTestProbe();
    ref.tell(new Get(p.ref()));
    return p.expectMessageClass(Integer.class, WAIT);
  }

  @Test
  void theFirstMatchingRuleWinsEvenWhenALaterRuleAlsoMatches() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<Kit.Outcome> outcome = testKit.createTestProbe();
    ActorRef<Object> ref = watched(FailurePolicy
        .onFailure(IllegalStateException.class, Directive.resume())
        .orOnFailure(RuntimeException.class, Directive.restart()), life, outcome);
    ref.tell(new Inc());
    ref.tell(new Inc());
    ref.tell(new Boom(new IllegalStateException("resume me")));
    assertEquals(2, count(ref)); // resumed: state kept, no restart
    ref.tell(new Boom(new IllegalArgumentException("restart me")));
    life.expectMessage(WAIT, "start");
    assertEquals(0, count(ref)); // restarted: state fresh
  }

  @Test
  void anEscalateRuleBeatsALaterBroaderRestartRule() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<Kit.Outcome> outcome = testKit.createTestProbe();
    ActorRef<Object> ref = watched(FailurePolicy
        .onFailure(IllegalArgumentException.class, Directive.escalate())
        .orOnFailure(RuntimeException.class, Directive.restart()), life, outcome);
    ref.tell(new Boom(new IllegalStateException("restarted")));
    life.expectMessage(WAIT, "start");
    ref.tell(new Boom(new IllegalArgumentException("escalated")));
    IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class,
        outcome.expectMessageClass(Kit.Outcome.class, WAIT).cause());
    assertEquals("escalated", e.getMessage());
  }

  @Test
  void aStopRuleStopsTheActorAsANormalExit() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<Kit.Outcome> outcome = testKit.createTestProbe();
    ActorRef<Object> ref = watched(FailurePolicy.onFailure(IllegalStateException.class, Directive.stop()), life, outcome);
    ref.tell(new Boom(new IllegalStateException("stop me")));
    assertFalse(outcome.expectMessageClass(Kit.Outcome.class, WAIT).failed());
  }

  @Test
  void pastItsLimitARestartRuleEscalatesTheOriginalException() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<Kit.Outcome> outcome = testKit.createTestProbe();
    ActorRef<Object> ref = watched(FailurePolicy.onFailure(IllegalStateException.class,
        Directive.restart().withLimit(2, Duration.ofMinutes(1))), life, outcome);
    for (int i = 0; i < 2; i++) {
      ref.tell(new Boom(new IllegalStateException("failure " + i)));
      life.expectMessage(WAIT, "start");
    }
    ref.tell(new Boom(new IllegalStateException("one too many")));
    IllegalStateException e = assertInstanceOf(IllegalStateException.class,
        outcome.expectMessageClass(Kit.Outcome.class, WAIT).cause());
    assertEquals("one too many", e.getMessage());
  }

  @Test
  void aFailureNoRuleMatchesEscalates() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<Kit.Outcome> outcome = testKit.createTestProbe();
    ActorRef<Object> ref = watched(FailurePolicy.onFailure(IllegalStateException.class, Directive.resume()), life, outcome);
    ref.tell(new Boom(new UnsupportedOperationException("nobody handles me")));
    assertInstanceOf(UnsupportedOperationException.class, outcome.expectMessageClass(Kit.Outcome.class, WAIT).cause());
  }

  @Test
  void aBackoffRuleRestartsAfterTheDelayKeepingMessagesStashed() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<Kit.Outcome> outcome = testKit.createTestProbe();
    ActorRef<Object> ref = watched(FailurePolicy.onFailure(IllegalStateException.class,
        Directive.restartWithBackoff(Duration.ofMillis(50), Duration.ofMillis(500), 0.2).withStashCapacity(10)), life, outcome);
    ref.tell(new Inc());
    ref.tell(new Boom(new IllegalStateException("back off")));
    ref.tell(new Inc()); // arrives while backing off: stashed, then processed by the new incarnation
    life.expectMessage(WAIT, "start");
    assertEquals(1, count(ref));
  }

  @Test
  void aChildsFailurePolicyHandlesFailuresBeforeItsSupervisorSeesThem() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("local-rules")
        .withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("c", () -> counter(life.ref()))
            .withFailurePolicy(FailurePolicy.onFailure(IllegalStateException.class, Directive.resume())))));
    Kit.expectCodes(events, "local-rules/started:c");
    life.expectMessage(WAIT, "start");
    sup.tell(new Supervisor.TellChild("c", new Boom(new IllegalStateException("resumed locally"))));
    sup.tell(new Supervisor.TellChild("c", new Boom(new IllegalArgumentException("goes to the supervisor"))));
    Kit.expectCodes(events, "local-rules/failed:c", "local-rules/restarted:c");
    events.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void pastItsLimitABackoffRuleEscalatesTheOriginalException() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<Kit.Outcome> outcome = testKit.createTestProbe();
    ActorRef<Object> ref = watched(FailurePolicy.onFailure(IllegalStateException.class,
        Directive.restartWithBackoff(Duration.ofMillis(10), Duration.ofMillis(20), 0.0).withLimit(1, Duration.ofMinutes(1))),
        life, outcome);
    ref.tell(new Boom(new IllegalStateException("first")));
    life.expectMessage(WAIT, "start");
    ref.tell(new Boom(new IllegalStateException("second")));
    IllegalStateException e = assertInstanceOf(IllegalStateException.class,
        outcome.expectMessageClass(Kit.Outcome.class, WAIT).cause());
    assertEquals("second", e.getMessage());
  }

  @Test
  void eachRuleLogsItsFailuresAtItsOwnLogLevel() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<Kit.Outcome> outcome = testKit.createTestProbe();
    ActorRef<Object> ref = watched(FailurePolicy
        .onFailure(IllegalArgumentException.class, Directive.resume().withLogLevel(Level.INFO))
        .orOnFailure(IllegalStateException.class, Directive.restart().withLogLevel(Level.WARN))
        .orOnFailure(UnsupportedOperationException.class, Directive.stop().withLogLevel(Level.DEBUG)), life, outcome);
    LoggingTestKit.empty().withLogLevel(Level.INFO).withMessageContains("quiet failure").withOccurrences(1)
        .expect(testKit.system(), () -> {
          ref.tell(new Boom(new IllegalArgumentException("quiet failure")));
          return count(ref);
        });
    LoggingTestKit.empty().withLogLevel(Level.WARN).withMessageContains("louder failure").withOccurrences(1)
        .expect(testKit.system(), () -> {
          ref.tell(new Boom(new IllegalStateException("louder failure")));
          return count(ref);
        });
    LoggingTestKit.empty().withLogLevel(Level.DEBUG).withMessageContains("stopped by failure rule").withOccurrences(1)
        .expect(testKit.system(), () -> {
          ref.tell(new Boom(new UnsupportedOperationException("last failure")));
          return outcome.expectMessageClass(Kit.Outcome.class, WAIT);
        });
  }
}
