package dev.cairn.examples.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.cairn.persistence.backup.StoreDirectories;
import dev.cairn.persistence.leveldb.CairnLevelDb;
import dev.cairn.persistence.leveldb.internal.Format;
import dev.cairn.persistence.leveldb.internal.LevelDbStores;
import dev.cairn.persistence.leveldb.internal.PersistenceIdState;
import dev.cairn.persistence.leveldb.internal.RawEntry;
import dev.cairn.persistence.leveldb.internal.RawRestore;
import dev.cairn.persistence.leveldb.internal.RecordKind;
import dev.cairn.persistence.leveldb.internal.StoreLease;
import dev.cairn.persistence.leveldb.internal.StoreOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/** Journals for the CLI tests: written by real persistent actors, or assembled record by record. */
final class TestJournals {
  private TestJournals() {}

  /** Deposits per account written by {@link #write}. */
  static final Map<String, List<Long>> DEPOSITS = Map.of(
      "account-1", List.of(10L, 20L, 150L, 5L, 5L, 5L, 5L, 200L, 1L, 1L, 1L, 1L),
      "account-2", List.of(100L, 2L, 3L),
      "account-3", List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L));

  static long balance(String id) {
    return DEPOSITS.get(id).stream().mapToLong(Long::longValue).sum();
  }

  static Config config(Path dataDir) {
    StoreDirectories dirs = StoreDirectories.inDataDir(dataDir);
    return ConfigFactory.parseMap(Map.of(
            "pekko.persistence.journal.plugin", CairnLevelDb.JOURNAL_PLUGIN_ID,
            "pekko.persistence.snapshot-store.plugin", CairnLevelDb.SNAPSHOT_PLUGIN_ID,
            "cairn.persistence.journal.leveldb.dir", dirs.journalDir().toString(),
            "cairn.persistence.snapshot-store.leveldb.dir", dirs.snapshotDir().toString(),
            "cairn.persistence.journal.leveldb.fsync", "off"))
        .withFallback(ConfigFactory.load());
  }

  /** Runs the accounts of {@link #DEPOSITS} on Cairn's journal in {@code dataDir}, then stops. */
  static void write(Path dataDir) {
    ActorTestKit kit = ActorTestKit.create("cli-fixture", config(dataDir));
    try {
      DEPOSITS.forEach((id, amounts) -> {
        ActorRef<Account.Command> account = kit.spawn(Account.create(id));
        TestProbe<Long> probe = kit.createTestProbe();
        for (long amount : amounts) {
          account.tell(new Account.Deposit(amount, probe.ref()));
          probe.receiveMessage(Duration.ofSeconds(10));
        }
      });
    } finally {
      kit.shutdownTestKit();
    }
  }

  /**
   * Runs "account-d" ({@link Account#createDeletingEvents}) on Cairn's journal in
   * {@code dataDir} with deposits 1..{@code deposits}, and waits until its events before the
   * older kept snapshot are deleted.
   */
  static void writeDeleting(Path dataDir, int deposits) {
    ActorTestKit kit = ActorTestKit.create("cli-fixture-deleting", config(dataDir));
    try {
      ActorRef<Account.Command> account = kit.spawn(Account.createDeletingEvents("account-d"));
      TestProbe<Long> probe = kit.createTestProbe();
      for (long amount = 1; amount <= deposits; amount++) {
        account.tell(new Account.Deposit(amount, probe.ref()));
        probe.receiveMessage(Duration.ofSeconds(10));
      }
      try (StoreLease lease = LevelDbStores.acquireIfOpen(
          StoreDirectories.inDataDir(dataDir).journalDir()).orElseThrow()) {
        probe.awaitAssert(Duration.ofSeconds(10), () -> {
          if (lease.store().persistenceIdState("account-d").deletedTo() == 0) {
            throw new AssertionError("account-d has no deleted events yet");
          }
          return null;
        });
      }
    } finally {
      kit.shutdownTestKit();
    }
  }

  /** The balance an account recovers to from Cairn's journal in {@code dataDir}. */
  static long recoveredBalance(Path dataDir, String id) {
    ActorTestKit kit = ActorTestKit.create("cli-check", config(dataDir));
    try {
      ActorRef<Account.Command> account = kit.spawn(Account.create(id));
      TestProbe<Long> probe = kit.createTestProbe();
      account.tell(new Account.GetBalance(probe.ref()));
      return probe.receiveMessage(Duration.ofSeconds(10));
    } finally {
      kit.shutdownTestKit();
    }
  }

  /**
   * A copy of the journal in {@code source} into the new {@code target}, each raw pair passed
   * through {@code change} (return null to drop the pair).
   */
  static void copyJournal(Path source, Path target,
      BiFunction<byte[], byte[], byte[]> change) {
    try (StoreLease in = LevelDbStores.acquire(source, StoreOptions.defaults());
        RawRestore out = LevelDbStores.createForRestore(target, StoreOptions.defaults());
        var it = in.store().rawEntries()) {
      while (it.hasNext()) {
        RawEntry e = it.next();
        byte[] v = change.apply(e.key(), e.value());
        if (v != null) out.put(e.key(), v);
      }
      out.finish();
    }
  }

  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());
  static final int JACKSON_CBOR = 33;

  /**
   * A journal with a poison event and the quarantine record Cairn's policies write for it:
   * "account-9": 1 = deposit, 2 = poison, 3 = the quarantine record of 2.
   */
  static void writeQuarantined(Path journalDir) throws Exception {
    try (RawRestore out = LevelDbStores.createForRestore(journalDir, StoreOptions.defaults())) {
      String pid = "account-9";
      byte[] idKey = Format.persistenceIdKey(pid);
      out.put(idKey, Format.encodePersistenceIdState(idKey, new PersistenceIdState(3, 0)));
      put(out, pid, 1, Account.Deposited.class.getName(), CBOR.createObjectNode().put("amount", 5));
      put(out, pid, 2, Account.Deposited.class.getName(), CBOR.createObjectNode().put("amount", -7));
      ObjectNode record = CBOR.createObjectNode()
          .put("persistenceId", pid)
          .put("sequenceNr", 2)
          .put("manifest", Account.Deposited.class.getName())
          .put("kind", "EVENT_HANDLER")
          .put("cause", "java.lang.IllegalStateException: negative deposit")
          .put("timestampMillis", 1_700_000_000_000L);
      put(out, pid, 3, QuarantineCommand.RECORD_MANIFEST, record);
      out.finish();
    }
  }

  private static void put(RawRestore out, String pid, long seq, String manifest, ObjectNode payload)
      throws Exception {
    byte[] key = Format.eventKey(pid, seq);
    out.put(key, Format.encodeEvent(key, RecordKind.EVENT, 1_700_000_000_000L + seq,
        JACKSON_CBOR, manifest, "", "writer-1", List.of(), CBOR.writeValueAsBytes(payload)));
  }
}
