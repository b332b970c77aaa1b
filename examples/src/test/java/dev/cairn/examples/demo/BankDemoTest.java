package dev.cairn.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.persistence.AsOf;
import dev.cairn.persistence.QuarantineRecord;
import dev.cairn.persistence.QuarantineRecords;
import dev.cairn.persistence.backup.JournalInUseException;
import dev.cairn.persistence.backup.StoreDirectories;
import dev.cairn.persistence.leveldb.CairnLevelDb;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The demo bank, run in-process on a temporary data directory. */
@ExtendWith(LogCapturingExtension.class)
class BankDemoTest {

  @TempDir Path tmp;

  /** A small, busy bank: 20 accounts in 2 groups, 4 tellers, a fault every 100 ms. */
  private DemoOptions options(Duration duration) {
    return DemoOptions.defaults().withDuration(duration).withAccounts(20).withTellers(4).withSeed(7)
        .withFaultInterval(Duration.ofMillis(100)).withDataDir(tmp.resolve("cairn-data"));
  }

  private static DemoResult run(DemoOptions options, StringWriter out) {
    return BankDemo.run(options, new PrintWriter(out, true), false);
  }

  @Test
  void totalMoneyIsConservedWhileFaultsAreInjected() {
    StringWriter out = new StringWriter();
    DemoResult r = run(options(Duration.ofSeconds(4)), out);

    Metrics.Snapshot m = r.metrics();
    assertTrue(r.holds(), out.toString());
    assertEquals(20 * DemoOptions.OPENING_BALANCE, r.expectedTotal());
    assertEquals(r.expectedTotal(), r.endTotal());
    assertEquals(r.expectedTotal(), r.journalTotal(), "a read-only replay of the journal agrees");
    assertTrue(r.quiesced(), "every pending transfer was finished");
    assertEquals(0, r.inTransit());
    assertTrue(m.transfers() > 0, "transfers ran: " + m);
    assertTrue(m.crashes() > 0 && m.tellerCrashes() > 0 && m.stalls() > 0 && m.corruptions() > 0, "faults: " + m);
    assertTrue(m.restarts() > 0, "restarts: " + m);
    assertTrue(m.hangs() > 0, "the stalled account was found hung: " + m);
    assertTrue(m.rollbacks() > 0, "invariant-violating events were rolled back: " + m);
    assertTrue(m.recoveries() > 20, "restarted accounts came back through redo: " + m);
    List<String> lines = out.toString().lines().toList();
    assertEquals("Invariant: total money is conserved: 20000 == 20000 (HOLDS)", lines.get(lines.size() - 1));
    assertTrue(m.checkpoints() > 0, "checkpoints were taken: " + m);
    String policies = lines.stream().filter(l -> l.startsWith("  policies ")).findFirst().orElseThrow();
    assertTrue(policies.contains(String.format(", %,d checkpoint%s, %,d checkpoint%s failed, ", m.checkpoints(),
        m.checkpoints() == 1 ? "" : "s", m.checkpointsFailed(), m.checkpointsFailed() == 1 ? "" : "s")), policies);
  }

  @Test
  void aSecondRunContinuesFromTheFirstRunsJournal() {
    DemoResult first = run(options(Duration.ofSeconds(2)), new StringWriter());
    StringWriter out = new StringWriter();
    // a different --accounts does not change a bank that exists
    DemoResult second = run(options(Duration.ofSeconds(2)).withAccounts(50), out);

    assertEquals(1, first.run());
    assertEquals(2, second.run());
    assertEquals(20, second.accounts());
    assertTrue(first.holds() && second.holds(), out.toString());
    assertNotEquals(first.startBalances(), first.endBalances(), "money moved in the first run");
    assertEquals(first.endBalances(), second.startBalances(), "the second run starts where the first ended");
    assertEquals(first.metrics().transfers(), second.transfersBefore());
    assertTrue(out.toString().contains("Run 2 on this journal"), out.toString());
  }

  @Test
  void transfersLeftPendingByAnAbruptEndAreFinishedByTheNextRun() throws Exception {
    DemoOptions options = options(Duration.ofSeconds(1));
    // an abrupt first run: the bank's tree moves money and is shut down mid-transfer, without quiescing
    ActorTestKit kit = ActorTestKit.create(BankDemo.config(StoreDirectories.inDataDir(options.dataDir())));
    Bank bank = new Bank(options.seed(), options.accounts(), DemoOptions.GROUP_SIZE, options.tellers(), false);
    bank.setRouter(kit.spawn(bank.routerBehavior(), "router"));
    kit.spawn(BankTree.top(bank, BankTree.spec(bank, Duration.ofHours(1)), 0), "top");
    TestProbe<Account.Balance> opened = kit.createTestProbe();
    for (int i = 0; i < options.accounts(); i++) {
      bank.toAccount(i, new Account.Open(DemoOptions.OPENING_BALANCE, opened.getRef()));
    }
    opened.receiveSeveralMessages(options.accounts(), Duration.ofSeconds(30));
    bank.setOpen(true);
    for (int t = 0; t < options.tellers(); t++) bank.toTeller(t, new Teller.Next());
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
      assertTrue(bank.metrics().snapshot().transfers() >= 50);
      return null;
    });
    kit.shutdownTestKit();

    ActorSystem<Void> reader = ActorSystem.create(Behaviors.empty(), "read-tellers",
        BankDemo.config(StoreDirectories.inDataDir(options.dataDir())));
    long pending = 0;
    try {
      for (int t = 0; t < options.tellers(); t++) {
        Teller.State s = Teller.replayable(t).recoverAsOf(reader, AsOf.latest()).toCompletableFuture()
            .get(30, TimeUnit.SECONDS).state();
        if (s.pending() != null) pending++;
      }
    } finally {
      reader.terminate();
      reader.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    assertTrue(pending > 0, "the abrupt end left transfers pending in the tellers' journals");

    StringWriter out = new StringWriter();
    DemoResult next = run(options, out);
    assertTrue(next.holds(), out.toString());
    assertEquals(next.expectedTotal(), next.startTotal(), "the pending transfers were finished, none lost or doubled");
  }

  @Test
  void aPoisonEventEndsInQuarantine() throws Exception {
    DemoOptions options = options(Duration.ofSeconds(3)).withPoison(true);
    DemoResult r = run(options, new StringWriter());

    assertTrue(r.holds());
    assertEquals(1, r.metrics().poisons(), "the poison event was written once");
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "read-quarantine",
        BankDemo.config(StoreDirectories.inDataDir(options.dataDir())));
    try {
      List<QuarantineRecord> records = QuarantineRecords.allFromReadJournal(system, CairnLevelDb.QUERY_PLUGIN_ID)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertFalse(records.isEmpty(), "redo quarantined the poison event");
      assertEquals(r.metrics().quarantined(), records.size(), records.toString());
      for (QuarantineRecord q : records) {
        assertTrue(q.persistenceId().startsWith("Account|"), q.toString());
        assertEquals(Account.PoisonNote.class.getName(), q.manifest());
        assertEquals("DESERIALIZATION", q.kind());
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDataDirectoryInUseIsRefusedBeforeStarting() throws Exception {
    Path journal = tmp.resolve("cairn-data").resolve("journal");
    Files.createDirectories(journal);
    try (FileChannel ch = FileChannel.open(journal.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      JournalInUseException e = assertThrows(JournalInUseException.class,
          () -> run(options(Duration.ofSeconds(1)), new StringWriter()));
      assertTrue(e.getMessage().contains("in use by another process"), e.getMessage());
    }
  }

  @Test
  void theLastLineSaysViolatedWhenMoneyIsMissing() {
    Metrics.Snapshot none = new Metrics().snapshot();
    List<Long> start = List.of(1000L, 1000L);
    DemoResult lost = new DemoResult(1, 2, 2000, 2000, 1990, 1990, 0, true, 0, start, List.of(995L, 995L), none);
    DemoResult badJournal = new DemoResult(1, 2, 2000, 2000, 2000, 2500, 0, true, 0, start, List.of(990L, 1010L), none);
    DemoResult kept = new DemoResult(1, 2, 2000, 2000, 2000, 2000, 0, true, 0, start, List.of(990L, 1010L), none);

    assertEquals("Invariant: total money is conserved: 2000 != 1990 (VIOLATED)", lost.invariantLine());
    assertEquals("Invariant: total money is conserved: 2000 == 2000, but the journal replays to 2500 (VIOLATED)",
        badJournal.invariantLine());
    assertEquals("Invariant: total money is conserved: 2000 == 2000 (HOLDS)", kept.invariantLine());
    assertFalse(lost.holds() || badJournal.holds());
    assertTrue(kept.holds());
  }
}
