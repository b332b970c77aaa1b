package dev.cairn.supervision;

import static dev.cairn.supervision.Kit.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Messages sent by id to children that a group restart has chosen to restart (the one already gone, the one whose stop
 * is pending, and those not stopped yet) are buffered and reach the new incarnation, in order, never the old one.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupRestartBufferingTest {
  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  interface Msg {}

  /** Replies "id#incarnation:text" (a stopping incarnation replies too, so a message it gets is seen). */
  record Echo(String text, ActorRef<String> replyTo) implements Msg {}

  record Fail() implements Msg {}

  /** The graceful stop message: the child reports that its stop was requested and waits for {@link Release}. */
  record Stop() implements Msg {}

  record Release() implements Msg {}

  /** A child that, asked to stop, hands its ref to {@code stopping} and stops only when released. */
  static Behavior<Msg> child(String id, AtomicInteger incarnations, ActorRef<ActorRef<Msg>> stopping) {
    return Behaviors.setup(ctx -> {
      int n = incarnations.incrementAndGet();
      return Behaviors.receive(Msg.class)
          .onMessage(Echo.class, e -> {
            e.replyTo().tell(id + "#" + n + ":" + e.text());
            return Behaviors.same();
          })
          .onMessage(Fail.class, f -> {
            throw new Kit.InjectedFailure("injected failure in " + id);
          })
          .onMessage(Stop.class, s -> {
            stopping.tell(ctx.getSelf());
            return Behaviors.receive(Msg.class)
                .onMessage(Echo.class, e -> {
                  e.replyTo().tell(id + "#" + n + "(stopping):" + e.text());
                  return Behaviors.same();
                })
                .onMessage(Release.class, r -> Behaviors.stopped())
                .build();
          })
          .onMessage(Release.class, r -> Behaviors.same())
          .build();
    });
  }

  private record Setup(ActorRef<Supervisor.Command> sup, TestProbe<SupervisionEvent> events, ActorRef<Msg> oldC) {}

  /**
   * A one-for-all supervisor of a, b, c; a fails, so the group restart stops c (graceful, pending until released),
   * then b, then restarts all three. Returns once c's stop has been requested: the restart is in progress.
   */
  private Setup groupRestartInProgress(String name) {
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    TestProbe<ActorRef<Msg>> stopping = testKit.createTestProbe();
    AtomicInteger na = new AtomicInteger();
    AtomicInteger nb = new AtomicInteger();
    AtomicInteger nc = new AtomicInteger();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForAll(name)
        .withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("a", () -> child("a", na, stopping.ref())).withTags("all"))
        .withChild(ChildSpec.worker("b", () -> child("b", nb, stopping.ref())).withTags("all"))
        .withChild(ChildSpec.worker("c", () -> child("c", nc, stopping.ref())).withTags("all")
            .withGracefulShutdown(new Stop(), Duration.ofSeconds(60)))));
    Kit.expectCodes(events, name + "/started:a", name + "/started:b", name + "/started:c");
    sup.tell(new Supervisor.TellChild("a", new Fail()));
    Kit.expectCodes(events, name + "/failed:a");
    @SuppressWarnings("unchecked")
    ActorRef<Msg> oldC = stopping.expectMessageClass(ActorRef.class, WAIT); // c's stop is pending; b not stopped yet
    return new Setup(sup, events, oldC);
  }

  @Test
  void tellChildDuringAGroupRestartReachesOnlyTheNewIncarnationInOrder() {
    Setup s = groupRestartInProgress("tell-child");
    TestProbe<String> ra = testKit.createTestProbe();
    TestProbe<String> rb = testKit.createTestProbe();
    TestProbe<String> rc = testKit.createTestProbe();
    for (int i = 1; i <= 3; i++) {
      s.sup().tell(new Supervisor.TellChild("c", new Echo("m" + i, rc.ref())));
      s.sup().tell(new Supervisor.TellChild("b", new Echo("m" + i, rb.ref())));
      s.sup().tell(new Supervisor.TellChild("a", new Echo("m" + i, ra.ref())));
    }
    s.oldC().tell(new Release());
    Kit.expectCodes(s.events(), "tell-child/stopped:c", "tell-child/stopped:b", "tell-child/restarted:a",
        "tell-child/restarted:b", "tell-child/restarted:c");
    assertEquals(List.of("a#2:m1", "a#2:m2", "a#2:m3"), Kit.receiveStrings(ra, 3));
    assertEquals(List.of("b#2:m1", "b#2:m2", "b#2:m3"), Kit.receiveStrings(rb, 3));
    assertEquals(List.of("c#2:m1", "c#2:m2", "c#2:m3"), Kit.receiveStrings(rc, 3));
  }

  @Test
  void tellAllAndTaggedChildrenDuringAGroupRestartReachOnlyTheNewIncarnations() {
    Setup s = groupRestartInProgress("tell-all");
    TestProbe<String> replies = testKit.createTestProbe();
    s.sup().tell(new Supervisor.TellAllChildren(new Echo("all", replies.ref())));
    s.sup().tell(new Supervisor.TellTaggedChildren("all", new Echo("tagged", replies.ref())));
    s.oldC().tell(new Release());
    Kit.expectCodes(s.events(), "tell-all/stopped:c", "tell-all/stopped:b", "tell-all/restarted:a",
        "tell-all/restarted:b", "tell-all/restarted:c");
    List<String> got = Kit.receiveStrings(replies, 6);
    for (String id : List.of("a", "b", "c")) {
      assertEquals(List.of(id + "#2:all", id + "#2:tagged"), got.stream().filter(r -> r.startsWith(id)).toList(), got::toString);
    }
  }

  @Test
  void pastOneThousandBufferedMessagesTheRestGoToDeadLetters() {
    Setup s = groupRestartInProgress("overflow");
    TestProbe<String> rc = testKit.createTestProbe();
    for (int i = 1; i <= 1001; i++) {
      s.sup().tell(new Supervisor.TellChild("c", new Echo("m" + i, rc.ref())));
    }
    s.oldC().tell(new Release());
    Kit.expectCodes(s.events(), "overflow/stopped:c", "overflow/stopped:b", "overflow/restarted:a",
        "overflow/restarted:b", "overflow/restarted:c");
    s.sup().tell(new Supervisor.TellChild("c", new Echo("after", rc.ref())));
    List<String> got = Kit.receiveStrings(rc, 1001);
    for (int i = 1; i <= 1000; i++) {
      assertEquals("c#2:m" + i, got.get(i - 1));
    }
    assertEquals("c#2:after", got.get(1000)); // m1001 was past the bound
  }
}
