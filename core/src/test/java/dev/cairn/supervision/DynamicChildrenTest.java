package dev.cairn.supervision;

import static dev.cairn.supervision.Kit.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

/** Children started, terminated, restarted and deleted at run time, and reaching children by id. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamicChildrenTest {
  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  private Supervisor.ChildOpResult op(ActorRef<Supervisor.Command> sup, java.util.function.Function<ActorRef<Supervisor.ChildOpResult>, Supervisor.Command> cmd) {
    TestProbe<Supervisor.ChildOpResult> p = testKit.createTestProbe();
    sup.tell(cmd.apply(p.ref()));
    return p.expectMessageClass(Supervisor.ChildOpResult.class, WAIT);
  }

  @SuppressWarnings("unchecked")
  private List<Supervisor.ChildInfo> which(ActorRef<Supervisor.Command> sup) {
    TestProbe<List<Supervisor.ChildInfo>> p = testKit.createTestProbe();
    sup.tell(new Supervisor.WhichChildren(p.ref()));
    return p.expectMessageClass(List.class, WAIT);
  }

  @Test
  void startTerminateRestartDeleteListAndCountChildren() {
    TestProbe<String> life = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("dyn")
        .withChild(ChildSpec.worker("a", () -> Kit.worker("a", life.ref())))));
    life.expectMessage(WAIT, "start:a");

    ChildSpec<Kit.Msg> x = ChildSpec.worker("x", () -> Kit.worker("x", life.ref())).withRestartType(RestartType.TRANSIENT);
    assertEquals(Supervisor.Outcome.OK, op(sup, r -> new Supervisor.StartChild(x, r)).outcome());
    life.expectMessage(WAIT, "start:x");
    assertEquals(Supervisor.Outcome.ALREADY_PRESENT, op(sup, r -> new Supervisor.StartChild(x, r)).outcome());
    List<Supervisor.ChildInfo> infos = which(sup);
    assertEquals(List.of("a", "x"), infos.stream().map(Supervisor.ChildInfo::id).toList());
    assertEquals(RestartType.TRANSIENT, infos.get(1).restartType());
    ActorRef<?> firstRef = infos.get(1).ref().orElseThrow();

    TestProbe<Supervisor.ChildCount> count = testKit.createTestProbe();
    sup.tell(new Supervisor.CountChildren(count.ref()));
    assertEquals(new Supervisor.ChildCount(2, 2, 0, 2), count.expectMessageClass(Supervisor.ChildCount.class, WAIT));

    assertEquals(Supervisor.Outcome.RUNNING, op(sup, r -> new Supervisor.DeleteChild("x", r)).outcome());
    assertEquals(Supervisor.Outcome.OK, op(sup, r -> new Supervisor.TerminateChild("x", r)).outcome());
    life.expectMessage(WAIT, "stop:x");
    assertFalse(which(sup).get(1).running());
    sup.tell(new Supervisor.CountChildren(count.ref()));
    assertEquals(new Supervisor.ChildCount(2, 1, 0, 2), count.expectMessageClass(Supervisor.ChildCount.class, WAIT));

    assertEquals(Supervisor.Outcome.OK, op(sup, r -> new Supervisor.RestartChild("x", r)).outcome());
    life.expectMessage(WAIT, "start:x");
    assertNotEquals(firstRef, which(sup).get(1).ref().orElseThrow());
    assertEquals(Supervisor.Outcome.RUNNING, op(sup, r -> new Supervisor.RestartChild("x", r)).outcome());

    assertEquals(Supervisor.Outcome.OK, op(sup, r -> new Supervisor.TerminateChild("x", r)).outcome());
    assertEquals(Supervisor.Outcome.OK, op(sup, r -> new Supervisor.DeleteChild("x", r)).outcome());
    assertEquals(List.of("a"), which(sup).stream().map(Supervisor.ChildInfo::id).toList());
    assertEquals(Supervisor.Outcome.NOT_FOUND, op(sup, r -> new Supervisor.TerminateChild("x", r)).outcome());
    assertEquals(Supervisor.Outcome.NOT_FOUND, op(sup, r -> new Supervisor.RestartChild("nope", r)).outcome());
  }

  @Test
  void theChildListShowsEachChildsRestartCount() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("dyn-count")
        .withIntensity(10, Duration.ofMinutes(1)).withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("a", () -> Kit.worker("a", life.ref())))
        .withChild(ChildSpec.worker("b", () -> Kit.worker("b", life.ref())))));
    Kit.expectCodes(events, "dyn-count/started:a", "dyn-count/started:b");
    for (int i = 0; i < 2; i++) {
      sup.tell(new Supervisor.TellChild("a", new Kit.Fail("count " + i)));
      Kit.expectCodes(events, "dyn-count/failed:a", "dyn-count/restarted:a");
    }
    assertEquals(List.of(2, 0), which(sup).stream().map(Supervisor.ChildInfo::restartCount).toList());
  }

  @Test
  void aDynamicChildThatFailsToStartIsReportedAndNotKept() {
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("dyn-fail")));
    Behavior<Kit.Msg> broken = Behaviors.setup(ctx -> {
      throw new IllegalStateException("no config");
    });
    Supervisor.ChildOpResult r = op(sup, p -> new Supervisor.StartChild(ChildSpec.worker("bad", () -> broken), p));
    assertEquals(Supervisor.Outcome.START_FAILED, r.outcome());
    assertTrue(r.detail().contains("'bad'") && r.detail().contains("no config"), r.detail());
    assertTrue(which(sup).isEmpty());
  }

  @Test
  void aDynamicChildInvalidForThisSupervisorIsRejectedWithTheReason() {
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("dyn-invalid")));
    ChildSpec<Kit.Msg> significant = ChildSpec.worker("s", () -> Behaviors.<Kit.Msg>empty())
        .withRestartType(RestartType.TRANSIENT).withSignificant(true);
    Supervisor.ChildOpResult r = op(sup, p -> new Supervisor.StartChild(significant, p));
    assertEquals(Supervisor.Outcome.INVALID_SPEC, r.outcome());
    assertTrue(r.detail().startsWith("bad_combination"), r.detail());
  }

  @Test
  void tellChildAskChildAndAProxyReachTheCurrentIncarnationAcrossGroupRestarts() throws Exception {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForAll("reach")
        .withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("a", () -> Kit.worker("a", life.ref())))
        .withChild(ChildSpec.worker("b", () -> Kit.worker("b", life.ref())))));
    Kit.expectCodes(events, "reach/started:a", "reach/started:b");
    ActorRef<Kit.Msg> proxy = testKit.spawn(Supervisor.<Kit.Msg>childProxy(sup, "b"));
    TestProbe<String> replies = testKit.createTestProbe();
    ActorRef<?> before = which(sup).get(1).ref().orElseThrow();

    sup.tell(new Supervisor.TellChild("a", new Kit.Fail("group restart")));
    Kit.expectCodes(events, "reach/failed:a", "reach/stopped:b", "reach/restarted:a", "reach/restarted:b");
    assertNotEquals(before, which(sup).get(1).ref().orElseThrow());

    sup.tell(new Supervisor.TellChild("b", new Kit.Echo("tell", replies.ref())));
    replies.expectMessage(WAIT, "b:tell");
    proxy.tell(new Kit.Echo("proxy", replies.ref()));
    replies.expectMessage(WAIT, "b:proxy");
    String asked = Supervisor.<String>askChild(sup, "b", replyTo -> new Kit.Echo("ask", replyTo), WAIT, testKit.scheduler())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals("b:ask", asked);
  }

  @Test
  void tellAllChildrenReachesEveryRunningChild() {
    TestProbe<String> life = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("all")
        .withChild(ChildSpec.worker("a", () -> Kit.worker("a", life.ref())))
        .withChild(ChildSpec.worker("b", () -> Kit.worker("b", life.ref())))
        .withChild(ChildSpec.worker("c", () -> Kit.worker("c", life.ref())))));
    Kit.receiveStrings(life, 3);
    TestProbe<String> replies = testKit.createTestProbe();
    sup.tell(new Supervisor.TellAllChildren(new Kit.Echo("checkpoint", replies.ref())));
    Set<String> got = new HashSet<>(Kit.receiveStrings(replies, 3));
    assertEquals(Set.of("a:checkpoint", "b:checkpoint", "c:checkpoint"), got);
    replies.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void taggedChildrenCanBeToldAndAskedTogether() throws Exception {
    TestProbe<String> life = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("tagged")
        .withChild(ChildSpec.worker("p1", () -> Kit.worker("p1", life.ref())).withTags("persistent"))
        .withChild(ChildSpec.worker("plain", () -> Kit.worker("plain", life.ref())))
        .withChild(ChildSpec.worker("p2", () -> Kit.worker("p2", life.ref())).withTags("persistent"))));
    Kit.receiveStrings(life, 3);
    TestProbe<String> replies = testKit.createTestProbe();
    sup.tell(new Supervisor.TellTaggedChildren("persistent", new Kit.Echo("checkpoint", replies.ref())));
    assertEquals(Set.of("p1:checkpoint", "p2:checkpoint"), new HashSet<>(Kit.receiveStrings(replies, 2)));
    replies.expectNoMessage(Duration.ofMillis(100));

    java.util.Map<String, String> answers = Supervisor.<String>askChildren(sup, info -> info.tags().contains("persistent"),
        replyTo -> new Kit.Echo("asked", replyTo), WAIT, testKit.scheduler()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(java.util.Map.of("p1", "p1:asked", "p2", "p2:asked"), answers);
    assertEquals(List.of("p1", "p2"), List.copyOf(answers.keySet()));
  }

  /** An object-style behavior whose state lives in the instance. */
  static final class Counter extends org.apache.pekko.actor.typed.javadsl.AbstractBehavior<Kit.Msg> {
    private int count;

    Counter(org.apache.pekko.actor.typed.javadsl.ActorContext<Kit.Msg> ctx) {
      super(ctx);
    }

    @Override
    public org.apache.pekko.actor.typed.javadsl.Receive<Kit.Msg> createReceive() {
      return newReceiveBuilder()
          .onMessage(Kit.Inc.class, i -> {
            count++;
            return this;
          })
          .onMessage(Kit.Get.class, g -> {
            g.replyTo().tell(count);
            return this;
          })
          .onMessage(Kit.Fail.class, f -> {
            throw new Kit.InjectedFailure(f.why());
          })
          .build();
    }
  }

  @Test
  void everyRestartCallsTheFactoryAgainSoNoStateSurvivesInABehaviorInstance() {
    java.util.concurrent.atomic.AtomicInteger made = new java.util.concurrent.atomic.AtomicInteger();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("factory")
        .withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("counter", () -> {
          made.incrementAndGet();
          return Behaviors.setup(Counter::new);
        }))));
    Kit.expectCodes(events, "factory/started:counter");
    sup.tell(new Supervisor.TellChild("counter", new Kit.Inc()));
    sup.tell(new Supervisor.TellChild("counter", new Kit.Fail("reset")));
    Kit.expectCodes(events, "factory/failed:counter", "factory/restarted:counter");
    TestProbe<Integer> count = testKit.createTestProbe();
    sup.tell(new Supervisor.TellChild("counter", new Kit.Get(count.ref())));
    assertEquals(0, count.expectMessageClass(Integer.class, WAIT));
    assertEquals(2, made.get());
  }

  @Test
  void messagesToAChildBeingRestartedWithItsGroupAreBufferedAndDelivered() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForAll("buffering")
        .withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("a", () -> Kit.worker("a", life.ref())))
        .withChild(ChildSpec.worker("slow", () -> Kit.worker("slow", life.ref(), false)) // ignores its stop message
            .withGracefulShutdown(new Kit.Stop(), Duration.ofSeconds(1)))));
    Kit.expectCodes(events, "buffering/started:a", "buffering/started:slow");
    sup.tell(new Supervisor.TellChild("a", new Kit.Fail("group restart")));
    Kit.expectCodes(events, "buffering/failed:a"); // a is gone; slow gets a second to stop
    TestProbe<String> replies = testKit.createTestProbe();
    sup.tell(new Supervisor.TellChild("a", new Kit.Echo("buffered", replies.ref())));
    Kit.expectCodes(events, "buffering/forced:slow", "buffering/restarted:a", "buffering/restarted:slow");
    replies.expectMessage(WAIT, "a:buffered");
  }

  @Test
  void aChildRunsWithThePropsOfItsSpec() {
    TestProbe<String> threads = testKit.createTestProbe();
    testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("props")
        .withChild(ChildSpec.worker("on-internal", () -> Behaviors.<Kit.Msg>setup(ctx -> {
          threads.ref().tell(Thread.currentThread().getName());
          return Behaviors.empty();
        })).withProps(org.apache.pekko.actor.typed.DispatcherSelector.fromConfig("pekko.actor.internal-dispatcher")))));
    String thread = threads.expectMessageClass(String.class, WAIT);
    assertTrue(thread.contains("internal-dispatcher"), thread);
  }
}
