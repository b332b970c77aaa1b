package dev.cairn.examples.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.persistence.PolicyEvent;
import dev.cairn.persistence.backup.StoreDirectories;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The account's side of the transfer protocol: what makes retries safe and bad events harmless. */
@ExtendWith(LogCapturingExtension.class)
class AccountTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir Path tmp;
  private ActorTestKit kit;
  private ActorRef<Account.Command> account;
  private TestProbe<Teller.Command> teller;
  private TestProbe<Account.Balance> balance;

  @BeforeEach
  void openAccount() {
    kit = ActorTestKit.create(BankDemo.config(StoreDirectories.inDataDir(tmp)));
    account = kit.spawn(Account.create(1));
    teller = kit.createTestProbe();
    balance = kit.createTestProbe();
    account.tell(new Account.Open(1000, balance.getRef()));
    assertEquals(1000, balance.receiveMessage(WAIT).balance());
  }

  @AfterEach
  void stop() {
    kit.shutdownTestKit();
  }

  private long currentBalance() {
    account.tell(new Account.GetBalance(balance.getRef()));
    return balance.receiveMessage(WAIT).balance();
  }

  @Test
  void aRedeliveredDebitIsAnsweredAgainButAppliedOnce() {
    account.tell(new Account.Debit("teller-0", 1, 100, teller.getRef()));
    account.tell(new Account.Debit("teller-0", 1, 100, teller.getRef()));

    assertEquals(new Teller.DebitResult(1, true), teller.receiveMessage(WAIT));
    assertEquals(new Teller.DebitResult(1, true), teller.receiveMessage(WAIT));
    assertEquals(900, currentBalance());
  }

  @Test
  void aRefusedDebitStaysRefusedWhenRetriedAfterTheMoneyArrived() {
    account.tell(new Account.Debit("teller-0", 1, 1500, teller.getRef()));
    assertEquals(new Teller.DebitResult(1, false), teller.receiveMessage(WAIT));
    account.tell(new Account.Credit("teller-1", 1, 1000, teller.getRef()));
    assertEquals(new Teller.CreditResult(1), teller.receiveMessage(WAIT));

    account.tell(new Account.Debit("teller-0", 1, 1500, teller.getRef())); // the retry
    assertEquals(new Teller.DebitResult(1, false), teller.receiveMessage(WAIT));
    assertEquals(2000, currentBalance());
  }

  @Test
  void aRedeliveredCreditIsAppliedOnceEvenAfterARestart() {
    account.tell(new Account.Credit("teller-0", 7, 50, teller.getRef()));
    assertEquals(new Teller.CreditResult(7), teller.receiveMessage(WAIT));
    kit.stop(account);
    account = kit.spawn(Account.create(1)); // redo from the journal

    account.tell(new Account.Credit("teller-0", 7, 50, teller.getRef()));
    assertEquals(new Teller.CreditResult(7), teller.receiveMessage(WAIT));
    assertEquals(1050, currentBalance());
  }

  @Test
  void anInvariantViolatingEventIsRolledBackToTheStateRightBeforeIt() {
    TestProbe<PolicyEvent> events = kit.createTestProbe();
    kit.system().eventStream().tell(new EventStream.Subscribe<>(PolicyEvent.class, events.getRef()));
    account.tell(new Account.Credit("teller-0", 1, 250, teller.getRef()));
    teller.receiveMessage(WAIT);

    account.tell(new Account.Corrupt(777));
    PolicyEvent.RolledBack rolledBack = (PolicyEvent.RolledBack) events.fishForMessage(WAIT,
        e -> e instanceof PolicyEvent.RolledBack ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore())
        .get(0);

    assertEquals(1, rolledBack.eventsUndone());
    assertEquals(rolledBack.fromSequenceNr() - 1, rolledBack.toSequenceNr());
    assertEquals(1250, currentBalance());
  }
}
