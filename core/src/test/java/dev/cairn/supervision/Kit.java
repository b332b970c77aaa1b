package dev.cairn.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** Test workers that report their lifecycle, event codes, and a settable clock. */
final class Kit {
  private Kit() {}

  static final Duration WAIT = Duration.ofSeconds(10);

  interface Msg {}

  record Fail(String why) implements Msg {}

  record Exit() implements Msg {}

  record Block(CountDownLatch latch) implements Msg {}

  record Echo(String text, ActorRef<String> replyTo) implements Msg {}

  record Stop() implements Msg {}

  record Inc() implements Msg {}

  record Get(ActorRef<Integer> replyTo) implements Msg {}

  static final class InjectedFailure extends RuntimeException {
    InjectedFailure(String msg) {
      super(msg);
    }
  }

  /** A worker reporting "start:id" and "stop:id" (PostStop or PreRestart) to {@code lifecycle}. */
  static Behavior<Msg> worker(String id, ActorRef<String> lifecycle) {
    return worker(id, lifecycle, true);
  }

  static Behavior<Msg> worker(String id, ActorRef<String> lifecycle, boolean obeysStop) {
    return Behaviors.setup(ctx -> {
      lifecycle.tell("start:" + id);
      return active(id, lifecycle, obeysStop, 0);
    });
  }

  private static Behavior<Msg> active(String id, ActorRef<String> lifecycle, boolean obeysStop, int count) {
    return Behaviors.receive(Msg.class)
        .onMessage(Fail.class, f -> {
          throw new InjectedFailure("injected failure in " + id + ": " + f.why());
        })
        .onMessage(Exit.class, e -> Behaviors.stopped())
        .onMessage(Stop.class, s -> obeysStop ? Behaviors.stopped() : Behaviors.same())
        .onMessage(Block.class, b -> {
          b.latch().await(60, TimeUnit.SECONDS);
          return Behaviors.same();
        })
        .onMessage(Echo.class, e -> {
          e.replyTo().tell(id + ":" + e.text());
          return Behaviors.same();
        })
        .onMessage(Inc.class, i -> active(id, lifecycle, obeysStop, count + 1))
        .onMessage(Get.class, g -> {
          g.replyTo().tell(count);
          return Behaviors.same();
        })
        .onSignal(PostStop.class, s -> {
          lifecycle.tell("stop:" + id);
          return Behaviors.same();
        })
        .onSignal(PreRestart.class, s -> {
          lifecycle.tell("stop:" + id);
          return Behaviors.same();
        })
        .build();
  }

  /** Outcome of a watched actor: its failure cause, or "stopped". */
  record Outcome(Throwable cause) {
    boolean failed() {
      return cause != null;
    }
  }

  /** Spawns {@code child}, hands its ref to {@code refs}, and reports how it terminated to {@code outcome}. */
  static <T> Behavior<Void> watcher(Behavior<T> child, ActorRef<ActorRef<T>> refs, ActorRef<Outcome> outcome) {
    return Behaviors.<Void>setup(ctx -> {
      ActorRef<T> ref = ctx.spawn(child, "watched");
      ctx.watch(ref);
      refs.tell(ref);
      return Behaviors.<Void>receiveSignal((c, sig) -> {
        if (sig instanceof org.apache.pekko.actor.typed.ChildFailed f) {
          outcome.tell(new Outcome(f.getCause()));
        } else if (sig instanceof org.apache.pekko.actor.typed.Terminated) {
          outcome.tell(new Outcome(null));
        }
        return Behaviors.same();
      });
    });
  }

  /** Groups event codes by supervisor name. */
  static java.util.Map<String, List<String>> bySupervisor(List<String> codes) {
    java.util.Map<String, List<String>> out = new java.util.TreeMap<>();
    for (String c : codes) {
      out.computeIfAbsent(c.substring(0, c.indexOf('/')), k -> new ArrayList<>()).add(c);
    }
    return out;
  }

  /** A short code for an event, e.g. "mid/restarted:a". */
  static String code(SupervisionEvent e) {
    String what;
    if (e instanceof SupervisionEvent.ChildStarted s) {
      what = "started:" + s.childId();
    } else if (e instanceof SupervisionEvent.ChildFailed f) {
      what = "failed:" + f.childId();
    } else if (e instanceof SupervisionEvent.ChildRestarted r) {
      what = "restarted:" + r.childId();
    } else if (e instanceof SupervisionEvent.ChildStopped s) {
      what = (s.reason() == SupervisionEvent.StopReason.EXITED ? "exited:"
          : s.reason() == SupervisionEvent.StopReason.FORCED ? "forced:" : "stopped:") + s.childId();
    } else if (e instanceof SupervisionEvent.ChildHung h) {
      what = "hung:" + h.childId();
    } else if (e instanceof SupervisionEvent.IntensityExceeded) {
      what = "intensity";
    } else if (e instanceof SupervisionEvent.Escalated) {
      what = "escalated";
    } else {
      what = "supervisor-stopped";
    }
    return e.supervisor() + "/" + what;
  }

  static List<String> receiveCodes(TestProbe<SupervisionEvent> probe, int n) {
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      codes.add(code(probe.expectMessageClass(SupervisionEvent.class, WAIT)));
    }
    return codes;
  }

  static void expectCodes(TestProbe<SupervisionEvent> probe, String... codes) {
    assertEquals(List.of(codes), receiveCodes(probe, codes.length));
  }

  static List<String> receiveStrings(TestProbe<String> probe, int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(probe.expectMessageClass(String.class, WAIT));
    }
    return out;
  }

  /** A clock tests move by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
