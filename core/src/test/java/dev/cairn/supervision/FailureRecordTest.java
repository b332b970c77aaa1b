package dev.cairn.supervision;

import static dev.cairn.supervision.Kit.WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.eventstream.EventStream;
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

/** Failure records, the bounded history, redaction, the event stream and events that read as sentences. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FailureRecordTest {
  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().build();

  @SuppressWarnings("unchecked")
  private List<FailureRecord> history(ActorRef<Supervisor.Command> sup) {
    TestProbe<List<FailureRecord>> p = testKit.createTestProbe();
    sup.tell(new Supervisor.GetFailureHistory(p.ref()));
    return p.expectMessageClass(List.class, WAIT);
  }

  @Test
  void aFailureRecordNamesTheMessageTypeButKeepsNoPayloadByDefault() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    Kit.MutableClock clock = new Kit.MutableClock();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForAll("records")
        .withIntensity(10, Duration.ofMinutes(1)).withClock(clock).withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("a", () -> Kit.worker("a", life.ref())))));
    Kit.expectCodes(events, "records/started:a");
    sup.tell(new Supervisor.TellChild("a", new Kit.Fail("card 4111-1111")));
    SupervisionEvent.ChildFailed failed = assertInstanceOf(SupervisionEvent.ChildFailed.class,
        events.expectMessageClass(SupervisionEvent.class, WAIT));
    FailureRecord rec = failed.failure();
    assertEquals("records", rec.supervisor());
    assertEquals("a", rec.childId());
    assertEquals(Optional.of(Kit.Fail.class.getName()), rec.messageType());
    assertEquals(Optional.empty(), rec.message());
    assertEquals(0, rec.restartCount());
    assertEquals(clock.instant(), rec.time());
    assertInstanceOf(Kit.InjectedFailure.class, rec.cause());
    Kit.expectCodes(events, "records/restarted:a");
    sup.tell(new Supervisor.TellChild("a", new Kit.Fail("again")));
    Kit.expectCodes(events, "records/failed:a", "records/restarted:a");
    List<FailureRecord> h = history(sup);
    assertEquals(List.of(0, 1), h.stream().map(FailureRecord::restartCount).toList());
  }

  @Test
  void aRedactorCanAllowThePayloadIntoTheRecord() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("revealing")
        .withMessageRedactor((id, msg) -> msg instanceof Kit.Fail f ? Optional.of("Fail(" + f.why().length() + " chars)")
            : Optional.empty())
        .withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("a", () -> Kit.worker("a", life.ref())))));
    Kit.expectCodes(events, "revealing/started:a");
    sup.tell(new Supervisor.TellChild("a", new Kit.Fail("secret")));
    SupervisionEvent.ChildFailed failed = assertInstanceOf(SupervisionEvent.ChildFailed.class,
        events.expectMessageClass(SupervisionEvent.class, WAIT));
    assertEquals(Optional.of("Fail(6 chars)"), failed.failure().message());
  }

  @Test
  void theFailureHistoryIsBoundedAndKeepsTheNewest() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<SupervisionEvent> events = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("bounded")
        .withIntensity(10, Duration.ofMinutes(1)).withFailureHistorySize(2).withListener(events.ref()::tell)
        .withChild(ChildSpec.worker("a", () -> Kit.worker("a", life.ref())))));
    Kit.expectCodes(events, "bounded/started:a");
    for (int i = 0; i < 3; i++) {
      sup.tell(new Supervisor.TellChild("a", new Kit.Fail("f" + i)));
      Kit.expectCodes(events, "bounded/failed:a", "bounded/restarted:a");
    }
    List<FailureRecord> h = history(sup);
    assertEquals(List.of(1, 2), h.stream().map(FailureRecord::restartCount).toList());
    assertTrue(h.get(1).cause().getMessage().endsWith("f2"), h.get(1).cause().getMessage());
  }

  @Test
  void eventsArePublishedOnTheEventStreamAndReadAsSentences() {
    TestProbe<String> life = testKit.createTestProbe();
    TestProbe<SupervisionEvent> stream = testKit.createTestProbe();
    testKit.system().eventStream().tell(new EventStream.Subscribe<>(SupervisionEvent.class, stream.ref()));
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.restForOne("sentences")
        .withChild(ChildSpec.worker("db", () -> Kit.worker("db", life.ref())))
        .withChild(ChildSpec.worker("api", () -> Kit.worker("api", life.ref())))));
    List<String> sentences = new java.util.ArrayList<>();
    for (int i = 0; i < 2; i++) {
      sentences.add(nextOf(stream, "sentences").toString());
    }
    sup.tell(new Supervisor.TellChild("db", new Kit.Fail("disk full")));
    for (int i = 0; i < 4; i++) {
      sentences.add(nextOf(stream, "sentences").toString());
    }
    assertTrue(sentences.get(0).matches("Supervisor 'sentences' started child 'db' as db-\\d+"), sentences.get(0));
    assertEquals("Supervisor 'sentences' saw child 'db' fail with " + Kit.InjectedFailure.class.getName()
        + ": injected failure in db: disk full while processing a " + Kit.Fail.class.getName(), sentences.get(2));
    assertEquals("Supervisor 'sentences' stopped child 'api'", sentences.get(3));
    assertEquals("Supervisor 'sentences' restarted child 'db' (restart 1)", sentences.get(4));
    assertEquals("Supervisor 'sentences' restarted child 'api' because child 'db' terminated (restart 1)", sentences.get(5));
  }

  /** The next event of {@code supervisor} (other tests' supervisors publish on the same stream). */
  private static SupervisionEvent nextOf(TestProbe<SupervisionEvent> stream, String supervisor) {
    while (true) {
      SupervisionEvent e = stream.expectMessageClass(SupervisionEvent.class, WAIT);
      if (e.supervisor().equals(supervisor)) {
        return e;
      }
    }
  }

  @Test
  void aRunningSupervisorCanBeSubscribedToAndUnsubscribedFrom() {
    TestProbe<String> life = testKit.createTestProbe();
    ActorRef<Supervisor.Command> sup = testKit.spawn(Supervisor.create(SupervisorSpec.oneForOne("subscribed")
        .withEventStreamPublishing(false).withIntensity(10, Duration.ofMinutes(1))
        .withChild(ChildSpec.worker("a", () -> Kit.worker("a", life.ref())))));
    life.expectMessage(WAIT, "start:a");
    TestProbe<SupervisionEvent> subscriber = testKit.createTestProbe();
    sup.tell(new Supervisor.Subscribe(subscriber.ref()));
    sup.tell(new Supervisor.TellChild("a", new Kit.Fail("seen")));
    List<String> seen = new java.util.ArrayList<>(Kit.receiveCodes(subscriber, 2));
    seen.remove("subscribed/started:a"); // the start may be reported after the subscription
    if (seen.size() < 2) {
      seen.addAll(Kit.receiveCodes(subscriber, 1));
    }
    assertEquals(List.of("subscribed/failed:a", "subscribed/restarted:a"), seen);
    sup.tell(new Supervisor.Unsubscribe(subscriber.ref()));
    sup.tell(new Supervisor.TellChild("a", new Kit.Fail("not seen")));
    life.expectMessage(WAIT, "stop:a");
    life.expectMessage(WAIT, "start:a");
    subscriber.expectNoMessage(Duration.ofMillis(300));
  }
}
