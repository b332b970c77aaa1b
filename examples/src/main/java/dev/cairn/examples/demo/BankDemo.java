package dev.cairn.examples.demo;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cairn.persistence.AsOf;
import dev.cairn.persistence.RecoveredState;
import dev.cairn.persistence.backup.JournalInUseException;
import dev.cairn.persistence.backup.StoreDirectories;
import dev.cairn.persistence.leveldb.CairnLevelDb;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Runs the demo bank: opens (or continues) the bank in the data directory, moves money between
 * accounts while the fault injector breaks things, prints a live status line, then quiesces
 * (finishes every pending transfer) and checks that total money is conserved.
 */
public final class BankDemo {
  private BankDemo() {}

  private static final Duration ASK_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration QUIESCE_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Runs the demo and prints its status and summary to {@code out}; {@code terminal} selects a
   * status line overwritten in place (else plain periodic lines). The summary's last line is
   * {@link DemoResult#invariantLine()}.
   */
  public static DemoResult run(DemoOptions options, PrintWriter out, boolean terminal) {
    StoreDirectories dirs = StoreDirectories.inDataDir(options.dataDir());
    createDirectories(options.dataDir());
    refuseIfLocked(dirs.journalDir());
    refuseIfLocked(dirs.snapshotDir());
    if (options.logToFile()) DemoLogging.toFile(options.dataDir().resolve("demo.log"));

    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "cairn-demo", config(dirs));
    // Ctrl-C ends the run early: the bank still quiesces and prints its summary before the JVM exits
    AtomicBoolean stopRequested = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stopRequested.set(true);
      try {
        finished.await(QUIESCE_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "cairn-demo-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return new Run(options, system, out, terminal, stopRequested).execute();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down (Ctrl-C): the hook waits for the latch below
      }
      finished.countDown();
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        out.println("(the actor system did not stop within 30 s: " + e + ")");
      }
    }
  }

  static Config config(StoreDirectories dirs) {
    Map<String, Object> m = new HashMap<>();
    m.put("pekko.persistence.journal.plugin", CairnLevelDb.JOURNAL_PLUGIN_ID);
    m.put("pekko.persistence.snapshot-store.plugin", CairnLevelDb.SNAPSHOT_PLUGIN_ID);
    m.put(CairnLevelDb.JOURNAL_PLUGIN_ID + ".dir", dirs.journalDir().toAbsolutePath().toString());
    m.put(CairnLevelDb.SNAPSHOT_PLUGIN_ID + ".dir", dirs.snapshotDir().toAbsolutePath().toString());
    // failed deliveries to restarting children are expected: the tellers retry
    m.put("pekko.log-dead-letters", "off");
    m.put("pekko.log-dead-letters-during-shutdown", "off");
    m.put("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
    return ConfigFactory.parseMap(m).withFallback(ConfigFactory.load());
  }

  private static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /** LevelDB allows one process per directory: say so before starting, not as a recovery failure. */
  private static void refuseIfLocked(Path storeDir) {
    Path lock = storeDir.resolve("LOCK");
    if (!Files.exists(lock)) return;
    try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
      FileLock l = ch.tryLock();
      if (l != null) {
        l.release();
        return;
      }
    } catch (OverlappingFileLockException e) {
      // held by this JVM
    } catch (IOException e) {
      return; // let the journal report it
    }
    throw new JournalInUseException("the data directory " + storeDir.getParent() + " is in use by another process"
        + " (is another demo or service running on it?); stop it, or use another --dir", null);
  }

  /** One run, on its own actor system. */
  private static final class Run {
    private final DemoOptions options;
    private final ActorSystem<Void> system;
    private final PrintWriter out;
    private final StatusLine status;
    private final AtomicBoolean stopRequested;

    Run(DemoOptions options, ActorSystem<Void> system, PrintWriter out, boolean terminal, AtomicBoolean stopRequested) {
      this.options = options;
      this.stopRequested = stopRequested;
      this.system = system;
      this.out = out;
      this.status = new StatusLine(out, terminal);
    }

    DemoResult execute() {
      BankConfig.Config cfg = beginRun();
      Bank bank = new Bank(options.seed(), cfg.accounts(), DemoOptions.GROUP_SIZE, cfg.tellers(), options.poison());
      printHeader(cfg, bank);

      system.systemActorOf(bank.metrics().monitor(), "monitor", Props.empty());
      bank.setRouter(system.systemActorOf(bank.routerBehavior(), "router", Props.empty()));
      system.systemActorOf(BankTree.top(bank, BankTree.spec(bank, options.faultInterval()), 3), "top", Props.empty());

      long expected = (long) cfg.accounts() * cfg.openingBalance();
      openAccounts(bank, cfg.openingBalance());
      // transfers left pending by an interrupted earlier run are finished before anything is counted
      Quiesced before = quiesce(bank);
      List<Long> startBalances = balances(bank);
      long startTotal = sum(startBalances) + before.inTransit();
      long transfersBefore = before.completed();
      if (cfg.run() > 1) {
        out.printf("Start: %,d in %d accounts, balances %,d to %,d, recovered from the journal"
                + " (%,d transfers completed by earlier runs)%n", startTotal, cfg.accounts(),
            startBalances.stream().mapToLong(Long::longValue).min().orElse(0),
            startBalances.stream().mapToLong(Long::longValue).max().orElse(0), transfersBefore);
      } else {
        out.printf("Start: %,d in %d accounts%n", startTotal, cfg.accounts());
      }
      out.flush();

      long t0 = System.nanoTime();
      bank.setFaults(true);
      bank.setOpen(true);
      for (int t = 0; t < bank.tellers(); t++) bank.toTeller(t, new Teller.Next());
      long end = t0 + options.duration().toNanos();
      long period = status.periodMillis() * 1_000_000;
      long next = t0; // status updates on a fixed schedule, plus one at the end
      while (true) {
        long now = System.nanoTime();
        boolean done = now >= end || stopRequested.get();
        if (done || now >= next) {
          status.update(Duration.ofNanos(now - t0), options.duration(), bank.metrics().snapshot());
          while (next <= now) next += period;
        }
        if (done) break;
        sleep(Math.max(1, (Math.min(next, end) - now) / 1_000_000));
      }
      status.finish();
      if (stopRequested.get()) out.println("Interrupted: ending the run early.");
      Duration elapsed = Duration.ofNanos(System.nanoTime() - t0);

      out.println("Stopping the fault injector and quiescing (finishing pending transfers)...");
      out.flush();
      bank.setFaults(false);
      bank.setOpen(false);
      Quiesced after = quiesce(bank);
      List<Long> endBalances = balances(bank);
      long endTotal = sum(endBalances) + after.inTransit();
      List<Long> replayed = replayedBalances(bank);
      long journalTotal = sum(replayed) + after.inTransit();
      Metrics.Snapshot m = bank.metrics().snapshot();
      DemoResult result = new DemoResult(cfg.run(), cfg.accounts(), expected, startTotal, endTotal, journalTotal,
          after.inTransit(), after.done(), transfersBefore, startBalances, endBalances, m);
      printSummary(result, elapsed, after);
      return result;
    }

    private BankConfig.Config beginRun() {
      ActorRef<BankConfig.BeginRun> ref = system.systemActorOf(BankConfig.create(), "bank-config", Props.empty());
      BankConfig.Config cfg = await(AskPattern.ask(ref,
          (ActorRef<BankConfig.Config> r) -> new BankConfig.BeginRun(options.accounts(), DemoOptions.OPENING_BALANCE,
              options.tellers(), r),
          Duration.ofSeconds(30), system.scheduler()), "reading the bank's configuration from the journal");
      return cfg;
    }

    private void printHeader(BankConfig.Config cfg, Bank bank) {
      out.printf("Cairn demo bank: %d accounts (%d groups of %d), %d tellers, seed %d, data in %s%n", cfg.accounts(),
          bank.groups(), DemoOptions.GROUP_SIZE, bank.tellers(), options.seed(), options.dataDir());
      if (cfg.run() > 1) {
        out.printf("Run %d on this journal: continuing the bank from the journal (redo)%n", cfg.run());
        if (cfg.accounts() != options.accounts()) {
          out.printf("(it has %d accounts; --accounts applies only to a new bank)%n", cfg.accounts());
        }
        if (cfg.tellers() != options.tellers()) {
          out.printf("(an earlier run used %d tellers: all of them are started, to finish their pending transfers)%n",
              cfg.tellers());
        }
      }
      out.printf("Running for %s with a fault every %d ms%s; log: %s%n", format(options.duration()),
          options.faultInterval().toMillis(), options.poison() ? " and one poison event" : "",
          options.logToFile() ? options.dataDir().resolve("demo.log") : "(not redirected)");
      out.flush();
    }

    private void openAccounts(Bank bank, long openingBalance) {
      askAll(bank.accounts(), i -> AskPattern.ask(bank.router(),
          (ActorRef<Account.Balance> r) -> new Bank.ToAccount(i, new Account.Open(openingBalance, r)), ASK_TIMEOUT,
          system.scheduler()), "opening the accounts");
    }

    private List<Long> balances(Bank bank) {
      List<Account.Balance> all = askAll(bank.accounts(), i -> AskPattern.ask(bank.router(),
          (ActorRef<Account.Balance> r) -> new Bank.ToAccount(i, new Account.GetBalance(r)), ASK_TIMEOUT,
          system.scheduler()), "reading the balances");
      return all.stream().map(Account.Balance::balance).toList();
    }

    /** Every account's balance recomputed from its checkpoints and journal alone (read-only redo). */
    private List<Long> replayedBalances(Bank bank) {
      List<CompletableFuture<RecoveredState<Account.State>>> replays = new ArrayList<>();
      for (int i = 0; i < bank.accounts(); i++) {
        replays.add(Account.definition(i).recoverAsOf(system, AsOf.latest()).toCompletableFuture());
      }
      List<Long> balances = new ArrayList<>(replays.size());
      for (CompletableFuture<RecoveredState<Account.State>> r : replays) {
        balances.add(await(r, "replaying the journal").state().balance());
      }
      return balances;
    }

    private static long sum(List<Long> values) {
      return values.stream().mapToLong(Long::longValue).sum();
    }

    record Quiesced(boolean done, long inTransit, int pending, long completed) {}

    /** Waits until no teller has a pending transfer (the bank being closed, none starts). */
    private Quiesced quiesce(Bank bank) {
      long deadline = System.nanoTime() + QUIESCE_TIMEOUT.toNanos();
      Quiesced last = new Quiesced(false, 0, -1, 0);
      while (System.nanoTime() < deadline) {
        List<Teller.Status> statuses = askAllOnce(bank.tellers(), i -> AskPattern.ask(bank.router(),
            (ActorRef<Teller.Status> r) -> new Bank.ToTeller(i, new Teller.GetStatus(r)), ASK_TIMEOUT,
            system.scheduler()));
        if (statuses != null) {
          long inTransit = statuses.stream().mapToLong(Teller.Status::inTransit).sum();
          int pending = (int) statuses.stream().filter(Teller.Status::pending).count();
          long completed = statuses.stream().mapToLong(Teller.Status::completed).sum();
          last = new Quiesced(pending == 0, inTransit, pending, completed);
          if (pending == 0) return last;
        }
        sleep(50);
      }
      return last;
    }

    /** Asks each of {@code n} actors, retrying those that did not answer (restarting), until all did. */
    private <T> List<T> askAll(int n, Function<Integer, CompletionStage<T>> ask, String what) {
      long deadline = System.nanoTime() + QUIESCE_TIMEOUT.toNanos();
      Map<Integer, T> answers = new HashMap<>();
      while (answers.size() < n) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("timed out " + what + ": " + (n - answers.size()) + " of " + n
              + " actors did not answer within " + QUIESCE_TIMEOUT.toSeconds() + " s");
        }
        Map<Integer, CompletableFuture<T>> asks = new HashMap<>();
        for (int i = 0; i < n; i++) if (!answers.containsKey(i)) asks.put(i, ask.apply(i).toCompletableFuture());
        asks.forEach((i, f) -> {
          try {
            answers.put(i, f.get(ASK_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS));
          } catch (Exception e) {
            // not answered (the actor was restarting): asked again in the next round
          }
        });
      }
      List<T> list = new ArrayList<>(n);
      for (int i = 0; i < n; i++) list.add(answers.get(i));
      return list;
    }

    /** One round of asks; null when any did not answer. */
    private <T> List<T> askAllOnce(int n, Function<Integer, CompletionStage<T>> ask) {
      List<CompletableFuture<T>> asks = new ArrayList<>(n);
      for (int i = 0; i < n; i++) asks.add(ask.apply(i).toCompletableFuture());
      List<T> list = new ArrayList<>(n);
      for (CompletableFuture<T> f : asks) {
        try {
          list.add(f.get(ASK_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS));
        } catch (Exception e) {
          return null;
        }
      }
      return list;
    }

    private <T> T await(CompletionStage<T> stage, String what) {
      try {
        return stage.toCompletableFuture().get();
      } catch (Exception e) {
        throw new IllegalStateException("failed " + what + ": " + e.getMessage() + " (see the log)", e);
      }
    }

    private void printSummary(DemoResult r, Duration elapsed, Quiesced q) {
      Metrics.Snapshot m = r.metrics();
      double secs = Math.max(0.001, elapsed.toNanos() / 1e9);
      out.println();
      out.printf("Summary of run %d (%s):%n", r.run(), format(elapsed));
      out.printf("  transfers        %,d completed (%,.0f/s), %,d refused for lack of funds%n", m.transfers(),
          m.transfers() / secs, m.refused());
      out.printf("  faults injected  %,d: %s, %s, %s, %s, %s%n", m.failuresInjected(),
          count(m.crashes(), "account crash", "account crashes"), count(m.tellerCrashes(), "teller crash", "teller crashes"),
          count(m.stalls(), "stall", "stalls"), count(m.corruptions(), "invariant-violating event", "invariant-violating events"),
          count(m.poisons(), "poison event", "poison events"));
      out.printf("  supervision      %s, %s, %s, %s%n", count(m.failuresSeen(), "failure seen", "failures seen"),
          count(m.restarts(), "restart", "restarts"), count(m.hangs(), "hang detected", "hangs detected"),
          count(m.escalations(), "escalation", "escalations"));
      out.printf("  policies         %s (redo), %s, %s, %s, %s%n", count(m.recoveries(), "recovery", "recoveries"),
          count(m.rollbacks(), "rollback", "rollbacks"), count(m.checkpoints(), "checkpoint", "checkpoints"),
          count(m.checkpointsFailed(), "checkpoint failed", "checkpoints failed"),
          count(m.quarantined(), "event quarantined", "events quarantined"));
      out.printf("  money            start %,d, end %,d, in transit %,d%s%n", r.startTotal(), r.endTotal(),
          r.inTransit(), q.done() ? "" : " (" + q.pending() + " transfers still pending after "
              + QUIESCE_TIMEOUT.toSeconds() + " s)");
      out.printf("  journal          a read-only replay of every account (recoverAsOf) sums to %,d%n", r.journalTotal());
      out.println(r.invariantLine());
      out.flush();
    }
  }

  private static String count(long n, String one, String many) {
    return String.format("%,d %s", n, n == 1 ? one : many);
  }

  static String format(Duration d) {
    long ms = d.toMillis();
    if (ms > 0 && ms % 60_000 == 0) return ms / 60_000 + "m";
    if (ms >= 10_000) return Math.round(ms / 1000.0) + "s";
    return String.format("%.1fs", ms / 1000.0);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
