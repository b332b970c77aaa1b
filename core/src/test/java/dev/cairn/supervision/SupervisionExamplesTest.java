package dev.cairn.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.event.Level;

/** The examples quoted in docs/supervision.md; each one runs and checks what the doc says it does. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SupervisionExamplesTest {
  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(com.typesafe.config.ConfigFactory
      .parseString("pekko.actor.testkit.typed.single-expect-default = 10s") // the examples' probes use the default wait
      .withFallback(com.typesafe.config.ConfigFactory.load())).build();

  /** A small worker for the examples. */
  static final class Worker {
    interface Command {}

    record Work(String item, ActorRef<String> replyTo) implements Command {}

    record Checkpoint(ActorRef<String> replyTo) implements Command {}

    record Shutdown() implements Command {}

    static Behavior<Command> create(String name) {
      return Behaviors.receive(Command.class)
          .onMessage(Work.class, w -> {
            if (w.item().isEmpty()) {
              throw new IllegalArgumentException("empty item");
            }
            w.replyTo().tell(name + " did " + w.item());
            return Behaviors.same();
          })
          .onMessage(Checkpoint.class, c -> {
            c.replyTo().tell(name + " checkpointed");
            return Behaviors.same();
          })
          .onMessage(Shutdown.class, s -> Behaviors.stopped())
          .build();
    }
  }

  @Test
  void failureRulesExample() {
    // #failure-policy
    FailurePolicy policy = FailurePolicy
        .onFailure(IllegalArgumentException.class, Directive.resume().withLogLevel(Level.INFO))
        .orOnFailure(IllegalStateException.class,
            Directive.restartWithBackoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.2)
                .withResetBackoffAfter(Duration.ofSeconds(30)))
        .orOnFailure(RuntimeException.class, Directive.restart().withLimit(3, Duration.ofSeconds(10)));
    Behavior<Worker.Command> guarded = policy.applyTo(Worker.create("w"));
    // #failure-policy
    ActorRef<Worker.Command> ref = testKit.spawn(guarded);
    TestProbe<String> replies = testKit.createTestProbe();
    ref.tell(new Worker.Work("", replies.ref())); // IllegalArgumentException: resumed
    ref.tell(new Worker.Work("a", replies.ref()));
    replies.expectMessage("w did a");
  }

  @Test
  void supervisionTreeExample() throws Exception {
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    // #supervision-tree
    SupervisorSpec pipeline = SupervisorSpec.restForOne("pipeline")
        .withIntensity(3, Duration.ofSeconds(10))
        .withChild(ChildSpec.worker("reader", () -> Worker.create("reader")))
        .withChild(ChildSpec.worker("writer", () -> Worker.create("writer"))
            .withGracefulShutdown(new Worker.Shutdown(), Duration.ofSeconds(5)));

    SupervisorSpec root = SupervisorSpec.oneForOne("root")
        .withIntensity(5, Duration.ofSeconds(30))
        .withListener(event -> events.ref().tell(event)) // called on the supervisor's thread: keep it short
        .withChild(ChildSpec.worker("db", () -> Worker.create("db"))
            .withLivenessDeadline(Duration.ofSeconds(2))
            .withTags("persistent"))
        .withChild(ChildSpec.supervisor("pipeline", pipeline));

    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(root), "root");
    // #supervision-tree
    assertEquals(List.of("root/started:db", "root/started:pipeline"), Kit.receiveCodes(events, 2));

    TestProbe<String> replies = testKit.createTestProbe();
    // #reach-by-id
    // one child, by id, whatever incarnation is running now
    sup.tell(new Supervisor.TellChild("db", new Worker.Work("x", replies.ref())));

    // a stable ActorRef<T> for a child, to hand to code that only knows ActorRef<T>
    ActorRef<Worker.Command> db = testKit.spawn(Supervisor.<Worker.Command>childProxy(sup, "db"));
    db.tell(new Worker.Work("y", replies.ref()));

    // request-reply by id
    String answer = Supervisor.<String>askChild(sup, "db", replyTo -> new Worker.Work("z", replyTo),
        Duration.ofSeconds(3), testKit.scheduler()).toCompletableFuture().get(10, TimeUnit.SECONDS);

    // every child tagged "persistent": fire and forget, or request-reply collecting all answers
    sup.tell(new Supervisor.TellTaggedChildren("persistent", new Worker.Checkpoint(replies.ref())));
    Map<String, String> checkpoints = Supervisor.<String>askChildren(sup,
        info -> info.tags().contains("persistent"), Worker.Checkpoint::new,
        Duration.ofSeconds(3), testKit.scheduler()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    // #reach-by-id
    // x reaches the supervisor before y (y takes one more hop, through the proxy), so db does them in that order; the
    // tagged checkpoint goes straight to the supervisor and may overtake y, which is still in the proxy's mailbox
    List<String> got = Kit.receiveStrings(replies, 3);
    assertEquals(List.of("db did x", "db did y"), got.stream().filter(r -> r.startsWith("db did ")).toList(), got.toString());
    assertEquals(List.of("db checkpointed"), got.stream().filter(r -> r.equals("db checkpointed")).toList(), got.toString());
    assertEquals("db did z", answer);
    assertEquals(Map.of("db", "db checkpointed"), checkpoints);
  }

  @Test
  void eventsExample() {
    // #event-stream
    TestProbe<SupervisionEvent> subscriber = testKit.createTestProbe();
    testKit.system().eventStream().tell(new EventStream.Subscribe<>(SupervisionEvent.class, subscriber.ref()));
    // #event-stream
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("events-example")
        .withChild(ChildSpec.worker("w", () -> Worker.create("w")))));
    SupervisionEvent first = subscriber.expectMessageClass(SupervisionEvent.class);
    while (!first.supervisor().equals("events-example")) {
      first = subscriber.expectMessageClass(SupervisionEvent.class);
    }
    assertTrue(first.toString().startsWith("Supervisor 'events-example' started child 'w'"), first.toString());
    // #dynamic-children
    TestProbe<Supervisor.ChildOpResult> result = testKit.createTestProbe();
    sup.tell(new Supervisor.StartChild(ChildSpec.worker("extra", () -> Worker.create("extra"))
        .withRestartType(RestartType.TEMPORARY), result.ref()));
    // -> ChildOpResult[childId=extra, outcome=OK, ...]
    sup.tell(new Supervisor.TerminateChild("extra", result.ref())); // a TEMPORARY child's spec is deleted too
    // #dynamic-children
    assertEquals(Supervisor.Outcome.OK, result.expectMessageClass(Supervisor.ChildOpResult.class).outcome());
    assertEquals(Supervisor.Outcome.OK, result.expectMessageClass(Supervisor.ChildOpResult.class).outcome());
  }
}
