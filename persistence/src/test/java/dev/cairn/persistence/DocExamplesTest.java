package dev.cairn.persistence;

import static dev.cairn.persistence.PolicyTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.testkit.query.javadsl.PersistenceTestKitReadJournal;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** The examples of docs/persistence-policies.md, compiled and run. */
@ExtendWith(TestKitJUnit5Extension.class)
@ExtendWith(LogCapturingExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocExamplesTest {

  @JUnit5TestKit
  public ActorTestKit kit = new JUnit5TestKitBuilder().withCustomConfig(testkitConfig()).build();

  // #account-model
  public sealed interface AccountCommand {}

  public record Deposit(long amount, ActorRef<Long> replyTo) implements AccountCommand {}

  public record Withdraw(long amount, ActorRef<Long> replyTo) implements AccountCommand {}

  public record Balance(ActorRef<Long> replyTo) implements AccountCommand {}

  public sealed interface AccountEvent extends CairnSerializable {}

  public record Deposited(long amount) implements AccountEvent {}

  public record Withdrawn(long amount) implements AccountEvent {}

  public record Account(long balance) implements CairnSerializable {}

  static Effect<AccountEvent, Account> onCommand(Account account, AccountCommand command) {
    if (command instanceof Deposit d)
      return Effect.<AccountEvent, Account>persist(new Deposited(d.amount())).thenReply(d.replyTo(), Account::balance);
    if (command instanceof Withdraw w) // no check here on purpose: the invariant catches an overdraft
      return Effect.<AccountEvent, Account>persist(new Withdrawn(w.amount())).thenReply(w.replyTo(), Account::balance);
    Balance b = (Balance) command;
    return Effect.<AccountEvent, Account>none().thenReply(b.replyTo(), Account::balance);
  }

  static Account onEvent(Account account, AccountEvent event) {
    if (event instanceof Deposited d) return new Account(account.balance() + d.amount());
    return new Account(account.balance() - ((Withdrawn) event).amount());
  }
  // #account-model

  // #account-policies
  static EventSourcedActor<AccountCommand, AccountEvent, Account> account(String id) {
    return EventSourcedActor.of(PersistenceId.of("Account", id), new Account(0),
            DocExamplesTest::onCommand, DocExamplesTest::onEvent)
        .withCheckpointPolicy(CheckpointPolicy.everyEvents(500).orEvery(Duration.ofSeconds(30)).keepLast(3))
        .withInvariant("balance is never negative", a -> a.balance() >= 0)
        .withRollbackPolicy(RollbackPolicy.toNewestValidState().onInvariantViolation())
        .withPoisonEventPolicy(PoisonEventPolicy.SKIP_AND_QUARANTINE)
        .withRedoPolicy(RedoPolicy.defaults().withRestartLimit(3, Duration.ofMinutes(1)))
        .withEventListener(event -> org.slf4j.LoggerFactory.getLogger("accounts").info("{}", event));
  }
  // #account-policies

  @Test
  void anOverdraftIsRolledBackToTheNewestValidState() {
    String id = uniqueId("doc-account");
    TestProbe<PolicyEvent> events = policyEvents(kit);
    // #spawn
    Behavior<AccountCommand> behavior = account(id).behavior();
    ActorRef<AccountCommand> ref = kit.spawn(behavior);
    // #spawn
    TestProbe<Long> balance = kit.createTestProbe();
    ref.tell(new Deposit(100, balance.ref()));
    assertEquals(100, balance.receiveMessage(TIMEOUT));
    ref.tell(new Withdraw(150, balance.ref()));
    PolicyEvent.RolledBack rolledBack = expectEvent(events, PolicyEvent.RolledBack.class, "Account|" + id);
    assertEquals(1, rolledBack.toSequenceNr());
    ref.tell(new Balance(balance.ref()));
    assertEquals(100, balance.receiveMessage(TIMEOUT));
  }

  @Test
  void operatorCommandsCheckpointRollBackAndInspect() throws Exception {
    String id = uniqueId("doc-operator");
    ActorRef<AccountCommand> ref = kit.spawn(account(id).behavior());
    TestProbe<Long> balance = kit.createTestProbe();
    for (long amount : List.of(10L, 20L, 30L)) {
      ref.tell(new Deposit(amount, balance.ref()));
      balance.receiveMessage(TIMEOUT);
    }
    TestProbe<PolicyEvent.CheckpointOutcome> checkpoints = kit.createTestProbe();
    TestProbe<PolicyCommand.RollbackResult> results = kit.createTestProbe();
    ActorSystem<?> system = kit.system();
    // #operator
    ActorRef<PolicyCommand> control = EventSourcedActor.control(ref);
    control.tell(PolicyCommand.TakeCheckpoint.replyTo(checkpoints.ref()));
    control.tell(PolicyCommand.RollBack.to(RollbackTarget.sequenceNr(2), "undo the last deposit", results.ref()));

    // read-only: the state as of sequence number 1, computed from the journal without touching the actor
    RecoveredState<Account> past = account(id).recoverAsOf(system, AsOf.sequenceNr(1))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    // #operator
    assertEquals(4, assertInstanceOf(PolicyEvent.CheckpointTaken.class, checkpoints.receiveMessage(TIMEOUT)).sequenceNr());
    assertInstanceOf(PolicyCommand.RollbackDone.class, results.receiveMessage(TIMEOUT));
    assertEquals(10, past.state().balance());
    ref.tell(new Balance(balance.ref()));
    assertEquals(30, balance.receiveMessage(TIMEOUT));
  }

  @Test
  void quarantineRecordsAreReadThroughAReadJournal() throws Exception {
    String id = uniqueId("doc-quarantine");
    ActorSystem<?> system = kit.system();
    String persistenceId = "Account|" + id;
    String readJournalPluginId = PersistenceTestKitReadJournal.Identifier();
    // #quarantine
    List<QuarantineRecord> records = QuarantineRecords.fromReadJournal(system, readJournalPluginId, persistenceId)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    // #quarantine
    assertEquals(List.of(), records);
  }
}
