package dev.cairn.supervision;

import static dev.cairn.supervision.Kit.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Ordered start, aborted start, reverse-order stop and shutdown timeouts. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StartAndStopTest {
  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  @Test
  void childrenStartInSpecOrderEachAfterThePreviousFinishedStarting() throws Exception {
    TestProbe<String> life = testKit.createTestProbe();
    CountDownLatch release = new CountDownLatch(1);
    Behavior<Kit.Msg> slowA = Behaviors.setup(ctx -> {
      release.await(30, TimeUnit.SECONDS); // a is still starting until the test releases it
      return Kit.worker("a", life.ref());
    });
    SupervisorSpec spec = SupervisorSpec.oneForOne("ordered")
        .withChild(ChildSpec.worker("a", () -> slowA))
        .withChild(ChildSpec.worker("b", () -> Kit.worker("b", life.ref())))
        .withChild(ChildSpec.worker("c", () -> Kit.worker("c", life.ref())));
    testKit.spawn(Supervisor.create(spec));
    life.expectNoMessage(Duration.ofMillis(300)); // b must not start while a is starting
    release.countDown();
    assertEquals(List.of("start:a", "start:b", "start:c"), Kit.receiveStrings(life, 3));
  }

  @Test
  void aChildFailingToStartAbortsTheSupervisorStartWithAnErrorNamingIt() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<ActorRef<Supervisor.Command>> refs = testKit.createTestProbe();
    TestProbe<Kit.Outcome> outcome = testKit.createTestProbe();
    Behavior<Kit.Msg> broken = Behaviors.setup(ctx -> {
      throw new IllegalStateException("cannot open the database");
    });
    SupervisorSpec spec = SupervisorSpec.oneForOne("aborting")
        .withChild(ChildSpec.worker("a", () -> Kit.worker("a", life.ref())))
        .withChild(ChildSpec.worker("db", () -> broken))
        .withChild(ChildSpec.worker("c", () -> Kit.worker("c", life.ref())));
    testKit.spawn(Kit.watcher(Supervisor.create(spec), refs.ref(), outcome.ref()));
    ChildStartFailedException e =
        assertInstanceOf(ChildStartFailedException.class, outcome.expectMessageClass(Kit.Outcome.class, WAIT).cause());
    assertEquals("db", e.childId());
    assertTrue(e.getMessage().contains("could not start child 'db'") && e.getMessage().contains("cannot open the database"),
        e.getMessage());
    assertEquals(List.of("start:a", "stop:a"), Kit.receiveStrings(life, 2)); // c never started
    life.expectNoMessage(Duration.ofMillis(200));
  }

  @Test
  void stopStopsChildrenInReverseStartOrderIncludingANestedSupervisorsChildrenFirst() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    SupervisorSpec nested = SupervisorSpec.oneForOne("nested").withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("n1", () -> Kit.worker("n1", life.ref())))
        .withChild(ChildSpec.worker("n2", () -> Kit.worker("n2", life.ref())));
    SupervisorSpec spec = SupervisorSpec.oneForOne("outer").withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("a", () -> Kit.worker("a", life.ref())))
        .withChild(ChildSpec.supervisor("nested", nested))
        .withChild(ChildSpec.worker("c", () -> Kit.worker("c", life.ref())));
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(spec));
    assertEquals(List.of("start:a", "start:n1", "start:n2", "start:c"), Kit.receiveStrings(life, 4));
    Kit.receiveCodes(events, 5);
    sup.tell(new Supervisor.Stop());
    assertEquals(List.of("stop:c", "stop:n2", "stop:n1", "stop:a"), Kit.receiveStrings(life, 4));
    assertEquals(List.of("outer/stopped:c", "nested/stopped:n2", "nested/stopped:n1", "nested/supervisor-stopped",
        "outer/stopped:nested", "outer/stopped:a", "outer/supervisor-stopped"), Kit.receiveCodes(events, 7));
    testKit.createTestProbe().expectTerminated(sup, WAIT);
  }

  @Test
  void aChildThatIgnoresItsGracefulStopIsForcedAfterTheTimeout() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    SupervisorSpec spec = SupervisorSpec.oneForOne("forcing").withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("stubborn", () -> Kit.worker("stubborn", life.ref(), false))
            .withGracefulShutdown(new Kit.Stop(), Duration.ofMillis(300)));
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(spec));
    Kit.expectCodes(events, "forcing/started:stubborn");
    TestProbe<Supervisor.ChildOpResult> reply = testKit.createTestProbe();
    sup.tell(new Supervisor.TerminateChild("stubborn", reply.ref()));
    Kit.expectCodes(events, "forcing/forced:stubborn");
    assertTrue(reply.expectMessageClass(Supervisor.ChildOpResult.class, WAIT).ok());
    assertEquals(List.of("start:stubborn", "stop:stubborn"), Kit.receiveStrings(life, 2));
  }

  @Test
  void aChildThatObeysItsGracefulStopStopsWithoutBeingForced() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    SupervisorSpec spec = SupervisorSpec.oneForOne("graceful").withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("polite", () -> Kit.worker("polite", life.ref(), true))
            .withGracefulShutdown(new Kit.Stop(), Duration.ofSeconds(30)));
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(spec));
    Kit.expectCodes(events, "graceful/started:polite");
    sup.tell(new Supervisor.Stop());
    Kit.expectCodes(events, "graceful/stopped:polite", "graceful/supervisor-stopped");
    testKit.createTestProbe().expectTerminated(sup, WAIT);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(value = RestartStrategy.class, names = {"ONE_FOR_ONE", "ONE_FOR_ALL"})
  void aChildFailingOnItsFirstMessageRightAfterStartingIsRestartedNotAStartFailure(RestartStrategy strategy) {
    String name = "early-" + strategy;
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.of(name, strategy)
        .withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("a", () -> Kit.worker("a", life.ref())))));
    sup.tell(new Supervisor.TellChild("a", new Kit.Fail("first message"))); // may be in a's mailbox before it started
    Kit.expectCodes(events, name + "/started:a", name + "/failed:a", name + "/restarted:a");
    TestProbe<String> replies = testKit.createTestProbe();
    sup.tell(new Supervisor.TellChild("a", new Kit.Echo("still here", replies.ref())));
    replies.expectMessage(WAIT, "a:still here");
  }
}
