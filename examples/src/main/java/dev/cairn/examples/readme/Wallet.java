package dev.cairn.examples.readme;

import dev.cairn.persistence.CairnSerializable;
import dev.cairn.persistence.CheckpointPolicy;
import dev.cairn.persistence.Effect;
import dev.cairn.persistence.EventSourcedActor;
import dev.cairn.persistence.PoisonEventPolicy;
import dev.cairn.persistence.RollbackPolicy;
import dev.cairn.supervision.ChildSpec;
import dev.cairn.supervision.SupervisorSpec;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;

/**
 * The code example of the README: a supervised event-sourced actor with policies. The part between
 * the {@code readme} tags is copied into README.md verbatim (ReadmeExampleTest checks it).
 */
public final class Wallet {
  private Wallet() {}

  public sealed interface Command {}

  public record Deposit(long amount) implements Command {}

  public record Withdraw(long amount) implements Command {}

  public record GetBalance(ActorRef<Long> replyTo) implements Command {}

  public sealed interface Event extends CairnSerializable {}

  public record Deposited(long amount) implements Event {}

  public record Withdrawn(long amount) implements Event {}

  public record Balance(long amount) implements CairnSerializable {}

  // tag::readme[]
  static Behavior<Command> wallet(String id) {
    return EventSourcedActor.of(PersistenceId.of("Wallet", id), new Balance(0), Wallet::onCommand, Wallet::onEvent)
        .withCheckpointPolicy(CheckpointPolicy.everyEvents(100).orEvery(Duration.ofSeconds(30)).keepLast(2))
        .withInvariant("balance is never negative", b -> b.amount() >= 0)
        .withRollbackPolicy(RollbackPolicy.toNewestValidState().onInvariantViolation())
        .withPoisonEventPolicy(PoisonEventPolicy.SKIP_AND_QUARANTINE)
        .behavior();
  }

  static SupervisorSpec wallets() {
    return SupervisorSpec.oneForAll("wallets").withIntensity(3, Duration.ofSeconds(10))
        .withChild(ChildSpec.worker("alice", () -> wallet("alice")).withLivenessDeadline(Duration.ofSeconds(1)))
        .withChild(ChildSpec.worker("bob", () -> wallet("bob")).withLivenessDeadline(Duration.ofSeconds(1)));
  }
  // ActorRef<Supervisor.Command> sup = system.systemActorOf(Supervisor.create(wallets()), "wallets", Props.empty());
  // sup.tell(new Supervisor.TellChild("alice", new Deposit(100)));
  // end::readme[]

  static Effect<Event, Balance> onCommand(Balance b, Command c) {
    if (c instanceof Deposit d) return Effect.persist(new Deposited(d.amount()));
    if (c instanceof Withdraw w) return Effect.persist(new Withdrawn(w.amount()));
    if (c instanceof GetBalance g) return Effect.<Event, Balance>none().thenReply(g.replyTo(), Balance::amount);
    return Effect.unhandled();
  }

  static Balance onEvent(Balance b, Event e) {
    if (e instanceof Deposited d) return new Balance(b.amount() + d.amount());
    if (e instanceof Withdrawn w) return new Balance(b.amount() - w.amount());
    return b;
  }
}
