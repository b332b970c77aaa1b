package dev.cairn.persistence.leveldb;

import static org.junit.jupiter.api.Assertions.*;

import dev.cairn.persistence.leveldb.internal.CloseableIterator;
import dev.cairn.persistence.leveldb.internal.Format;
import dev.cairn.persistence.leveldb.internal.KeyKind;
import dev.cairn.persistence.leveldb.internal.LevelDbStores;
import dev.cairn.persistence.leveldb.internal.PersistenceIdState;
import dev.cairn.persistence.leveldb.internal.RawEntry;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import dev.cairn.persistence.leveldb.internal.StoreOptions;
import dev.cairn.persistence.leveldb.internal.VerifyReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * End-to-end crash test: a child JVM ({@link CrashWriter}) runs {@value #ACTORS} event-sourced
 * actors persisting continuously through Cairn's journal (single events and atomic batches of
 * two or three, one actor also saving snapshots) and prints an ACK line after each write the
 * journal acknowledged. The test kills it with SIGKILL ({@link Process#destroyForcibly()}) while
 * it is writing, reopens the same directories in this JVM and checks, for every persistence id:
 * recovery succeeds; nothing acknowledged is lost (the recovered highest sequence number is at
 * least the last acknowledged one); the stored events are exactly 1..highest with the expected
 * content; the next persist gets sequence number highest + 1 (no reuse, no refusal) and a second
 * recovery sees it; {@code verify} finds no problem, both in the crashed state and after a clean
 * close.
 *
 * <p>The dangerous case: with on-disk format 2 the store keeps each id's highest sequence number
 * in memory ahead of its state record and writes the records only about once a second, so after
 * a kill most records are behind the events on disk. Reopening must take the highest sequence
 * number from the events; one run per fsync mode kills the writer within a fraction of a second
 * of its first acknowledged write (before the first state flush), the other after more than a
 * second of writing (after state flushes). The early runs assert that some records really lagged.
 *
 * <p>Both fsync modes must keep every acknowledged event: a killed process loses nothing the
 * kernel has accepted (page cache survives the process). This test does not simulate a power
 * loss or kernel crash, where only synced writes survive; {@code WriteAheadLogTest} covers that
 * for fsync = on by combining file copies taken at different times.
 */
@ExtendWith(LogCapturingExtension.class)
class ProcessCrashTest {
  private static final int ACTORS = 16;
  private static final int SNAPSHOT_EVERY = 50;
  private static final Duration FIRST_ACK_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(60);

  private Process child;

  @AfterEach
  void killChild() throws InterruptedException {
    if (child != null && child.isAlive()) {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Kill 250 ms after the first ACK (or at 200 ACKs, if sooner), once every actor has had an ACK:
   * normally before the store's first state flush.
   */
  private static final KillPoint EARLY = new KillPoint("early", 200, Long.MAX_VALUE, 250);

  /** Kill after at least 1.5 s of acknowledged writes and at least 1,000 ACKs, once every actor has had an ACK: after state flushes. */
  private static final KillPoint LATE = new KillPoint("late", Long.MAX_VALUE, 1_000, 1_500);

  @Test
  void fsyncOnKillBeforeFirstStateFlushLosesNothingAcknowledged() throws Exception {
    crashAndRecover("on", EARLY);
  }

  @Test
  void fsyncOnKillAfterStateFlushesLosesNothingAcknowledged() throws Exception {
    crashAndRecover("on", LATE);
  }

  @Test
  void fsyncOffKillBeforeFirstStateFlushLosesNothingAcknowledged() throws Exception {
    crashAndRecover("off", EARLY);
  }

  @Test
  void fsyncOffKillAfterStateFlushesLosesNothingAcknowledged() throws Exception {
    crashAndRecover("off", LATE);
  }

  // ======================================================================= one run

  private void crashAndRecover(String fsync, KillPoint killPoint) throws Exception {
    Path dir = TestConfigs.freshDir("crash-" + fsync + "-" + killPoint.name);
    Path stderr = dir.resolve("child-stderr.log");
    Crash crash = runAndKill(dir, fsync, killPoint, stderr);
    crash.describe("fsync=" + fsync + ", kill " + killPoint.name + ", dir " + dir + ", child stderr " + stderr);

    assertNull(crash.recoveryFailure, () -> "the child's own recovery failed: " + crash.recoveryFailure + "; " + crash);
    assertTrue(crash.aliveAtKill, () -> "the child exited on its own before it was killed (exit "
        + crash.exitCode + "), not while writing; " + crash + "\n" + tail(stderr));
    assertEquals(137, crash.exitCode, () -> "the child was not ended by SIGKILL; " + crash);
    assertEquals(ACTORS, crash.acked.size(), () -> "every actor acknowledged writes before the kill; " + crash);
    // (how soon the early kill came is not asserted: a stalled CI machine may take longer than the
    // store's 1 s state-flush interval; the lagging state records are asserted after recovery)

    Map<String, Long> recovered = recoverAndCheck(dir, crash, killPoint);

    // a fresh open after a clean close: verify finds nothing, and counts exactly the events recovered
    VerifyReport journal = LevelDbStores.verify(dir.resolve("journal"), StoreOptions.defaults());
    assertTrue(journal.ok(), () -> "verify of the journal after the clean close: " + journal.problems() + "; " + crash);
    long events = recovered.values().stream().mapToLong(Long::longValue).sum();
    assertEquals(events, journal.events(), () -> "events counted by verify; " + crash);
    assertEquals(ACTORS, journal.persistenceIds(), () -> "persistence ids counted by verify; " + crash);
    VerifyReport snapshots = LevelDbStores.verify(dir.resolve("snapshots"), StoreOptions.defaults());
    assertTrue(snapshots.ok(), () -> "verify of the snapshot store: " + snapshots.problems() + "; " + crash);

    System.out.println("ProcessCrashTest fsync=" + fsync + " kill=" + killPoint.name + ": " + crash.summary()
        + ", recovered " + events + " events (" + (events - ACTORS) + " before the post-crash persists), "
        + snapshots.snapshots() + " snapshots");
    deleteRecursively(dir); // only on success: a failed run keeps its directory for inspection
  }

  /**
   * Recovers every id in a fresh actor system on {@code dir} and checks it; returns each id's
   * highest sequence number at the end (after the one extra persist).
   */
  private Map<String, Long> recoverAndCheck(Path dir, Crash crash, KillPoint killPoint) throws Exception {
    ActorTestKit kit = ActorTestKit.create("ProcessCrashTest", TestConfigs.plugins(dir, ""));
    try {
      TestProbe<Object> monitor = kit.createTestProbe();
      Map<String, ActorRef<CrashCounter.Command>> actors = spawnAll(kit, monitor);
      Map<String, CrashCounter.Tally> tallies = collectRecoveries(monitor, crash);

      // nothing acknowledged lost, every recovered event the expected one, no atomic write cut
      for (Map.Entry<String, Long> a : crash.acked.entrySet()) {
        CrashCounter.Tally t = tallies.get(a.getKey());
        assertEquals(0, t.badEvents(), () -> a.getKey() + ": recovered events differ from those written: " + t.firstBad() + "; " + crash);
        assertTrue(t.count() >= a.getValue(), () -> a.getKey() + ": acknowledged events lost: last ACK was sequence number "
            + a.getValue() + ", recovery reached " + t.count() + "; " + crash);
        assertTrue(CrashCounter.isWriteBoundary(t.count()), () -> a.getKey() + ": recovery ended at sequence number " + t.count()
            + ", inside an atomic write of several events; " + crash);
      }

      // the stored events themselves: exactly 1..highest, each with its content
      CairnLevelDbReadJournal queries =
          PersistenceQuery.get(kit.system()).getReadJournalFor(CairnLevelDbReadJournal.class, CairnLevelDb.QUERY_PLUGIN_ID);
      for (Map.Entry<String, CrashCounter.Tally> e : tallies.entrySet()) {
        String pid = e.getKey();
        List<EventEnvelope> stored = queries.currentEventsByPersistenceId(pid, 0L, Long.MAX_VALUE)
            .runWith(Sink.seq(), kit.system()).toCompletableFuture().get(RECOVERY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(e.getValue().count(), stored.size(), () -> pid + ": stored events vs recovered count; " + crash);
        for (int i = 0; i < stored.size(); i++) {
          long seq = i + 1;
          EventEnvelope env = stored.get(i);
          assertEquals(seq, env.sequenceNr(), () -> pid + ": stored sequence numbers are not 1..n; " + crash);
          assertEquals(CrashCounter.expectedStep(pid, seq), env.event(), () -> pid + ": stored event " + seq + "; " + crash);
        }
      }

      // the crashed state as the journal found it: records lag the events, verify accepts it
      try (StoreLease lease = LevelDbStores.acquireIfOpen(dir.resolve("journal")).orElseThrow()) {
        stateRecords(lease, tallies, crash);
        VerifyReport crashed = lease.store().verify();
        assertTrue(crashed.ok(), () -> "verify of the journal as the crash left it: " + crashed.problems() + "; " + crash);
      }
      if (killPoint == LATE) {
        assertTrue(crash.unflushedRecords < ACTORS, () -> "no state flush had happened before the late kill; " + crash);
      }
      if (killPoint == EARLY) {
        assertTrue(crash.laggingRecords > 0, () -> "no state record lagged its events, so the dangerous case was not exercised; " + crash);
      }

      // the next persist continues at highest + 1 (no reuse of a sequence number, no refusal)
      Map<String, Long> expectedFinal = new HashMap<>();
      for (Map.Entry<String, CrashCounter.Tally> e : tallies.entrySet()) {
        actors.get(e.getKey()).tell(new CrashCounter.PersistOne(monitor.ref().narrow()));
        Object reply = monitor.receiveMessage(RECOVERY_TIMEOUT);
        if (reply instanceof Stopped) {
          fail(e.getKey() + ": the first persist after the crash failed and stopped the actor (the journal's error is in the"
              + " log above); " + crash);
        }
        assertEquals(e.getValue().count() + 1, reply, () -> e.getKey() + ": sequence number of the first persist after the crash; " + crash);
        expectedFinal.put(e.getKey(), (Long) reply);
      }

      // a second recovery sees that event
      for (ActorRef<CrashCounter.Command> a : actors.values()) kit.stop(a, RECOVERY_TIMEOUT);
      for (int i = 0; i < ACTORS; i++) assertInstanceOf(Stopped.class, monitor.receiveMessage(RECOVERY_TIMEOUT));
      spawnAll(kit, monitor);
      Map<String, CrashCounter.Tally> again = collectRecoveries(monitor, crash);
      for (Map.Entry<String, Long> e : expectedFinal.entrySet()) {
        CrashCounter.Tally t = again.get(e.getKey());
        assertEquals(0, t.badEvents(), () -> e.getKey() + ": second recovery: " + t.firstBad() + "; " + crash);
        assertEquals(e.getValue(), t.count(), () -> e.getKey() + ": second recovery's highest sequence number; " + crash);
      }
      return expectedFinal;
    } finally {
      kit.shutdownTestKit();
    }
  }

  /** An actor under test stopped (reported by a watcher). */
  private record Stopped(String persistenceId) {}

  /** Spawns one passive {@link CrashCounter} per id, each reporting to {@code monitor}, with a watcher reporting its stop. */
  private static Map<String, ActorRef<CrashCounter.Command>> spawnAll(ActorTestKit kit, TestProbe<Object> monitor) {
    Map<String, ActorRef<CrashCounter.Command>> actors = new HashMap<>();
    for (int i = 0; i < ACTORS; i++) {
      String pid = CrashWriter.persistenceId(i);
      ActorRef<CrashCounter.Command> a = kit.spawn(CrashCounter.passive(pid, i == 0 ? SNAPSHOT_EVERY : 0, monitor.ref()));
      kit.spawn(Behaviors.<Object>setup(ctx -> {
        ctx.watch(a);
        return Behaviors.receive(Object.class)
            .onSignal(Terminated.class, t -> {
              monitor.ref().tell(new Stopped(pid));
              return Behaviors.stopped();
            })
            .build();
      }));
      actors.put(pid, a);
    }
    return actors;
  }

  private static Map<String, CrashCounter.Tally> collectRecoveries(TestProbe<Object> monitor, Crash crash) {
    Map<String, CrashCounter.Tally> tallies = new HashMap<>();
    for (int i = 0; i < ACTORS; i++) {
      Object m = monitor.receiveMessage(RECOVERY_TIMEOUT);
      if (m instanceof Stopped st) fail(st.persistenceId() + ": stopped during recovery after the crash; " + crash);
      if (m instanceof CrashCounter.Failed f) {
        throw new AssertionError(f.persistenceId() + ": recovery after the crash failed: " + f.cause() + "; " + crash, f.cause());
      }
      CrashCounter.Recovered r = assertInstanceOf(CrashCounter.Recovered.class, m);
      tallies.put(r.persistenceId(), r.tally());
    }
    assertEquals(ACTORS, tallies.size(), () -> "one recovery per persistence id; " + crash);
    return tallies;
  }

  /**
   * Counts the ids whose stored state record is behind their last stored event, and those whose
   * record is still the one written with their first write (no state flush had happened yet).
   * Read raw, before any new write.
   */
  private static void stateRecords(StoreLease lease, Map<String, CrashCounter.Tally> tallies, Crash crash) {
    int lagging = 0, unflushed = 0;
    String dir = lease.store().directory().toString();
    try (CloseableIterator<RawEntry> it = lease.store().rawEntries()) {
      while (it.hasNext()) {
        RawEntry e = it.next();
        if (Format.keyKind(e.key()) != KeyKind.PERSISTENCE_ID) continue;
        String pid = new String(e.key(), 1, e.key().length - 1, StandardCharsets.UTF_8);
        PersistenceIdState st = Format.decodePersistenceIdState(pid, e.key(), e.value(), dir);
        CrashCounter.Tally t = tallies.get(pid);
        if (t != null && st.highestSequenceNr() < t.count()) lagging++;
        if (st.highestSequenceNr() == CrashCounter.batchSize(0)) unflushed++;
      }
    }
    crash.laggingRecords = lagging;
    crash.unflushedRecords = unflushed;
  }

  // ======================================================================= the child process

  private record KillPoint(String name, long maxAcks, long minAcks, long millisAfterFirstAck) {
    boolean reached(long acks, long millisSinceFirstAck) {
      if (this.maxAcks != Long.MAX_VALUE) return acks >= maxAcks || millisSinceFirstAck >= millisAfterFirstAck;
      return acks >= minAcks && millisSinceFirstAck >= millisAfterFirstAck;
    }
  }

  /** What the child acknowledged before it was killed. */
  private static final class Crash {
    final Map<String, Long> acked = new ConcurrentHashMap<>();
    volatile long ackLines;
    volatile long firstAckNanos;
    volatile String recoveryFailure;
    volatile String outOfOrder;
    volatile String readError;
    volatile boolean aliveAtKill;
    volatile long killAfterFirstAckMillis = -1;
    volatile long acksAtKill;
    int exitCode = -1;
    int laggingRecords = -1;
    int unflushedRecords = -1;

    private volatile String description = "";

    void describe(String d) {
      description = d;
    }

    @Override
    public String toString() {
      return description + " (" + summary() + ")";
    }

    String summary() {
      return "killed " + killAfterFirstAckMillis + " ms after the first ACK at " + acksAtKill + " ACKs, " + ackLines
          + " ACKs read in all, highest ACKed " + acked.values().stream().mapToLong(Long::longValue).sum()
          + " events, " + (laggingRecords < 0 ? "?" : String.valueOf(laggingRecords)) + "/" + ACTORS
          + " state records behind their events (" + unflushedRecords + " never flushed)";
    }
  }

  /**
   * Starts the child, reads its ACK lines, kills it with SIGKILL as soon as {@code killPoint} is
   * reached (from the reading thread, so the kill lands while the child is writing) and waits
   * until it is gone and every line it printed before has been read.
   */
  private Crash runAndKill(Path dir, String fsync, KillPoint killPoint, Path stderr) throws Exception {
    String java = ProcessHandle.current().info().command()
        .orElse(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    // under Surefire java.class.path may be only its booter jar
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> cmd = List.of(java, "-Xmx256m", "-Xss4m", "-XX:+UseSerialGC",
        "-Dlogback.configurationFile=crash-writer-logback.xml",
        "-cp", classpath, CrashWriter.class.getName(),
        dir.toString(), fsync, String.valueOf(ACTORS), String.valueOf(SNAPSHOT_EVERY));
    Process p = new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
    child = p;
    Crash crash = new Crash();
    CountDownLatch killed = new CountDownLatch(1);
    Thread reader = new Thread(() -> readAcks(p, crash, killPoint, killed), "crash-test-ack-reader");
    reader.setDaemon(true);
    reader.start();
    long timeout = FIRST_ACK_TIMEOUT.toMillis() + killPoint.millisAfterFirstAck + 30_000;
    if (!killed.await(timeout, TimeUnit.MILLISECONDS)) {
      boolean alive = p.isAlive();
      p.destroyForcibly();
      fail("the child did not reach the kill point within " + timeout + " ms (" + crash.ackLines + " ACKs, alive "
          + alive + ")\n" + tail(stderr));
    }
    if (!p.waitFor(30, TimeUnit.SECONDS)) fail("the killed child did not end");
    crash.exitCode = p.exitValue();
    reader.join(TimeUnit.SECONDS.toMillis(30)); // reads the lines printed before the kill, up to EOF
    assertFalse(reader.isAlive(), "the ACK reader reached the end of the child's output");
    assertNull(crash.readError, () -> "reading the child's output failed: " + crash.readError);
    assertNull(crash.outOfOrder, () -> "ACK lines out of order: " + crash.outOfOrder);
    return crash;
  }

  private static void readAcks(Process p, Crash crash, KillPoint killPoint, CountDownLatch killed) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("RECOVERY-FAILED ")) {
          crash.recoveryFailure = line;
          kill(p, crash);
          killed.countDown();
          continue;
        }
        if (!line.startsWith("ACK ")) continue;
        String[] parts = line.split(" ");
        String pid = parts[1];
        long seq = Long.parseLong(parts[2]);
        Long before = crash.acked.put(pid, seq);
        if (before != null && before >= seq && crash.outOfOrder == null) crash.outOfOrder = pid + ": " + seq + " after " + before;
        long now = System.nanoTime();
        if (crash.ackLines++ == 0) crash.firstAckNanos = now;
        // never before every actor has had a write acknowledged (an actor that starts late on a
        // slow machine would otherwise have nothing to check)
        if (killed.getCount() > 0 && crash.acked.size() == ACTORS
            && killPoint.reached(crash.ackLines, (now - crash.firstAckNanos) / 1_000_000)) {
          kill(p, crash);
          killed.countDown();
        }
      }
    } catch (IOException e) {
      crash.readError = e.toString();
    }
  }

  private static void kill(Process p, Crash crash) {
    crash.aliveAtKill = p.isAlive();
    // SIGKILL on Linux and macOS. Through the handle: Process.destroyForcibly() would also close
    // our end of the pipe, losing the ACK lines the child printed just before the kill
    p.toHandle().destroyForcibly();
    crash.killAfterFirstAckMillis = crash.firstAckNanos == 0 ? -1 : (System.nanoTime() - crash.firstAckNanos) / 1_000_000;
    crash.acksAtKill = crash.ackLines;
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return "child stderr (last lines):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no child stderr: " + e + ")";
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
    }
  }
}
