package dev.cairn.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.persistence.CairnSerializable;
import dev.cairn.persistence.Effect;
import dev.cairn.persistence.EventSourcedActor;
import dev.cairn.persistence.PoisonEventPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code cairn quarantine} on a journal where Cairn's poison-event policy quarantined an event. */
@ExtendWith(LogCapturingExtension.class)
class QuarantineCliTest {
  /** Amounts the event handler refuses from now on (an "older version" of the event). */
  static final Set<Long> POISON = ConcurrentHashMap.newKeySet();

  interface Cmd {}

  record Deposit(long amount, ActorRef<Long> replyTo) implements Cmd {}

  record Get(ActorRef<Long> replyTo) implements Cmd {}

  record Deposited(long amount) implements CairnSerializable {}

  record Balance(long value) implements CairnSerializable {}

  static EventSourcedActor<Cmd, Deposited, Balance> account(String id) {
    return EventSourcedActor.<Cmd, Deposited, Balance>of(PersistenceId.ofUniqueId(id),
        new Balance(0),
        (state, cmd) -> cmd instanceof Deposit d
            ? Effect.<Deposited, Balance>persist(new Deposited(d.amount()))
                .thenReply(d.replyTo(), Balance::value)
            : Effect.<Deposited, Balance>none().thenReply(((Get) cmd).replyTo(), Balance::value),
        (state, event) -> {
          if (POISON.contains(event.amount())) {
            throw new IllegalStateException("negative deposit " + event.amount());
          }
          return new Balance(state.value() + event.amount());
        });
  }

  @TempDir Path tmp;

  @Test
  void quarantineListsAndShowsAnEventThePoisonPolicySkipped() {
    Path data = tmp.resolve("cairn-data");
    ActorTestKit kit = ActorTestKit.create("quarantine", TestJournals.config(data));
    try {
      ActorRef<Cmd> first = kit.spawn(account("account-7").behavior());
      TestProbe<Long> probe = kit.createTestProbe();
      for (long amount : new long[] {5, -7, 3}) {
        first.tell(new Deposit(amount, probe.ref()));
        probe.receiveMessage(Duration.ofSeconds(10));
      }
      kit.stop(first);
      POISON.add(-7L);
      ActorRef<Cmd> again = kit.spawn(account("account-7")
          .withPoisonEventPolicy(PoisonEventPolicy.SKIP_AND_QUARANTINE).behavior());
      again.tell(new Get(probe.ref()));
      assertEquals(8L, probe.receiveMessage(Duration.ofSeconds(10)));
    } finally {
      kit.shutdownTestKit();
      POISON.clear();
    }

    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int list = CairnCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
        .execute("--dir", data.toString(), "quarantine", "list");
    StringWriter shown = new StringWriter();
    int show = CairnCli.commandLine(new PrintWriter(shown, true), new PrintWriter(err, true))
        .execute("--dir", data.toString(), "quarantine", "show", "account-7");

    assertEquals(0, list, err.toString());
    String[] lines = out.toString().split("\n");
    assertTrue(lines[0].matches("account-7\\s+#2\\s+EVENT_HANDLER\\s+.*negative deposit -7.*"),
        out.toString());
    assertEquals("1 quarantined event", lines[1]);
    assertEquals(0, show, err.toString());
    assertTrue(shown.toString().contains("quarantined event #2 of 'account-7'"), shown.toString());
    assertTrue(shown.toString().contains(Deposited.class.getName()), shown.toString());
    assertTrue(shown.toString().contains("{\"amount\":-7}"), shown.toString());
  }
}
