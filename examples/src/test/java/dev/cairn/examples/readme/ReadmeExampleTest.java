package dev.cairn.examples.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.cairn.supervision.Supervisor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The README's code example compiles, is the one in README.md, and behaves as described. */
@ExtendWith(LogCapturingExtension.class)
class ReadmeExampleTest {

  @TempDir Path tmp;

  @Test
  void theReadmeShowsTheCompiledExampleVerbatim() throws Exception {
    String source = Files.readString(Path.of("src/main/java/dev/cairn/examples/readme/Wallet.java"));
    String readme = Files.readString(Path.of("../README.md"));
    String tagged = source.substring(source.indexOf("// tag::readme[]\n") + "// tag::readme[]\n".length(),
        source.indexOf("  // end::readme[]"));
    String snippet = tagged.lines().map(l -> l.startsWith("  ") ? l.substring(2) : l)
        .reduce("", (a, l) -> a + l + "\n");
    assertTrue(readme.contains(snippet), "README.md must contain, verbatim:\n" + snippet);
  }

  @Test
  void anInvariantViolatingWithdrawalIsRolledBackAndTheWalletGoesOn() {
    ActorTestKit kit = ActorTestKit.create(ConfigFactory.parseMap(Map.of(
        "pekko.persistence.journal.plugin", "cairn.persistence.journal.leveldb",
        "pekko.persistence.snapshot-store.plugin", "cairn.persistence.snapshot-store.leveldb",
        "cairn.persistence.journal.leveldb.dir", tmp.resolve("journal").toString(),
        "cairn.persistence.snapshot-store.leveldb.dir", tmp.resolve("snapshots").toString()))
        .withFallback(ConfigFactory.load()));
    try {
      ActorRef<Supervisor.Command> sup = kit.spawn(Supervisor.create(Wallet.wallets()), "wallets");
      TestProbe<Long> probe = kit.createTestProbe();
      sup.tell(new Supervisor.TellChild("alice", new Wallet.Deposit(100)));
      sup.tell(new Supervisor.TellChild("alice", new Wallet.Withdraw(30)));
      sup.tell(new Supervisor.TellChild("alice", new Wallet.Withdraw(500))); // would go negative: rolled back
      sup.tell(new Supervisor.TellChild("alice", new Wallet.GetBalance(probe.getRef())));
      assertEquals(70L, probe.receiveMessage(Duration.ofSeconds(10)));
    } finally {
      kit.shutdownTestKit();
    }
  }
}
