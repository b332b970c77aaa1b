package dev.cairn.examples.demo;

import dev.cairn.supervision.ChildSpec;
import dev.cairn.supervision.Supervisor;
import dev.cairn.supervision.SupervisorSpec;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.event.Level;

/**
 * The bank's supervision tree:
 *
 * <pre>
 * bank                 REST_FOR_ONE  (a restarted 'accounts' restarts the tellers and the injector too)
 * ├── accounts         ONE_FOR_ONE   (account groups fail independently)
 * │   ├── group-0      ONE_FOR_ALL   (the accounts of a group restart together)
 * │   │   ├── account-0 .. account-9   event-sourced, liveness deadline 500 ms
 * │   ├── group-1 ...
 * ├── tellers          ONE_FOR_ONE
 * │   ├── teller-0 .. teller-7        event-sourced transfer coordinators
 * └── fault-injector   worker
 * </pre>
 */
public final class BankTree {
  private BankTree() {}

  static final String ROOT = "bank";
  static final String ACCOUNTS = "accounts";
  static final String TELLERS = "tellers";
  static final String INJECTOR = "fault-injector";

  /**
   * Event-sourced children are stopped gracefully: their stop command waits for a write in flight,
   * so the next incarnation's redo never races a write of the previous one.
   */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  /** How long an account may leave its supervisor's liveness probe unanswered. */
  static final Duration LIVENESS_DEADLINE = Duration.ofMillis(500);

  /** The whole tree for {@code bank}. */
  public static SupervisorSpec spec(Bank bank, Duration faultInterval) {
    SupervisorSpec accounts = quiet(SupervisorSpec.oneForOne(ACCOUNTS).withIntensity(20, Duration.ofSeconds(10)));
    for (int g = 0; g < bank.groups(); g++) {
      SupervisorSpec group = quiet(SupervisorSpec.oneForAll(Bank.groupId(g)).withIntensity(10, Duration.ofSeconds(5)));
      for (int i = g * bank.groupSize(); i < Math.min(bank.accounts(), (g + 1) * bank.groupSize()); i++) {
        int index = i;
        group = group.withChild(ChildSpec.worker(Bank.accountId(index), () -> Account.create(index))
            .withGracefulShutdown(new Account.Stop(), STOP_TIMEOUT)
            .withLivenessDeadline(LIVENESS_DEADLINE));
      }
      accounts = accounts.withChild(ChildSpec.supervisor(Bank.groupId(g), group));
    }
    SupervisorSpec tellers = quiet(SupervisorSpec.oneForOne(TELLERS).withIntensity(20, Duration.ofSeconds(10)));
    for (int t = 0; t < bank.tellers(); t++) {
      int index = t;
      tellers = tellers.withChild(ChildSpec.worker(Bank.tellerId(index), () -> Teller.create(index, bank))
          .withGracefulShutdown(new Teller.Stop(), STOP_TIMEOUT));
    }
    return quiet(SupervisorSpec.restForOne(ROOT).withIntensity(10, Duration.ofSeconds(30)))
        .withChild(ChildSpec.supervisor(ACCOUNTS, accounts))
        .withChild(ChildSpec.supervisor(TELLERS, tellers))
        .withChild(ChildSpec.worker(INJECTOR, () -> FaultInjector.create(bank, faultInterval)));
  }

  /** Failures are the point of the demo: log them at INFO (to the log file), not as warnings. */
  private static SupervisorSpec quiet(SupervisorSpec spec) {
    return spec.withFailureLogLevel(Level.INFO);
  }

  /**
   * Runs the tree: spawns its root, tells the router where it is, and if the root itself gives up
   * (its restart intensity was exceeded all the way up) starts it again, at most {@code maxRespawns}
   * times: every actor comes back through redo from the journal.
   */
  static Behavior<Void> top(Bank bank, SupervisorSpec spec, int maxRespawns) {
    return Behaviors.setup(ctx -> running(ctx, bank, spec, spawn(ctx, bank, spec, 0), 0, maxRespawns));
  }

  private static ActorRef<Supervisor.Command> spawn(ActorContext<Void> ctx, Bank bank, SupervisorSpec spec, int n) {
    ActorRef<Supervisor.Command> root = ctx.spawn(Supervisor.create(spec), ROOT + "-" + n);
    ctx.watch(root);
    bank.router().tell(new Bank.RootIs(root));
    return root;
  }

  private static Behavior<Void> running(ActorContext<Void> ctx, Bank bank, SupervisorSpec spec,
      ActorRef<Supervisor.Command> root, int respawns, int maxRespawns) {
    return Behaviors.receive(Void.class)
        .onSignal(Terminated.class, t -> {
          if (!(t instanceof ChildFailed f) || respawns >= maxRespawns) return Behaviors.stopped();
          ctx.getLog().warn("Supervision tree '{}' gave up ({}); starting it again", ROOT, f.getCause().toString());
          return running(ctx, bank, spec, spawn(ctx, bank, spec, respawns + 1), respawns + 1, maxRespawns);
        })
        .build();
  }
}
