package dev.cairn.examples.demo;

import java.time.Duration;
import java.util.SplittableRandom;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Keeps breaking the bank while it works, one fault per tick:
 *
 * <ul>
 *   <li>an account's command handler throws: its group (ONE_FOR_ALL) restarts and every account in it
 *       comes back through redo;</li>
 *   <li>a teller's command handler throws: it restarts alone (ONE_FOR_ONE), and its redo resumes the
 *       transfer it was in the middle of;</li>
 *   <li>an account stalls in a handler: it stops answering its supervisor's liveness probe, hang detection
 *       fires and the group restarts;</li>
 *   <li>an account persists an invariant-violating event: its rollback policy appends a marker that
 *       returns it to the state right before that event;</li>
 *   <li>with {@code --poison}, once per run: an account persists an event that cannot be read back, then
 *       crashes; its redo skips the event and writes a quarantine record.</li>
 * </ul>
 *
 * The first four ticks inject one fault of each kind, so even a short run shows all of them; after
 * that the kind and the victim are drawn from the demo's seed.
 */
final class FaultInjector {
  private FaultInjector() {}

  /** How long a stalled account blocks (several liveness deadlines). */
  static final Duration STALL = Duration.ofMillis(2500);

  private enum Tick { INSTANCE }

  static Behavior<Object> create(Bank bank, Duration interval) {
    return Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, interval);
      // a restarted injector (REST_FOR_ONE) goes on with new faults rather than repeating its first ones
      int incarnation = bank.injectorStarted();
      SplittableRandom rnd = new SplittableRandom(bank.seed() * 31 + incarnation);
      int[] ticks = {incarnation == 0 ? 0 : 4};
      return Behaviors.receiveMessage(msg -> {
        if (msg == Tick.INSTANCE && bank.faultsOn()) inject(bank, rnd, ticks[0]++);
        return Behaviors.same();
      });
    });
  }

  private static void inject(Bank bank, SplittableRandom rnd, int tick) {
    int account = rnd.nextInt(bank.accounts());
    if (tick >= 4 && bank.poisonRequested() && bank.claimPoisonAttempt(System.currentTimeMillis())) {
      // sent again (to the same account) only if no account confirmed the write within a few seconds
      bank.toAccount(bank.poisonVictim(account), new Account.AppendPoison(bank::poisonWritten));
      return;
    }
    int kind = tick < 4 ? tick : weighted(rnd.nextInt(100));
    switch (kind) {
      case 0 -> {
        bank.toAccount(account, new Account.Crash());
        bank.metrics().crashes.increment();
      }
      case 1 -> {
        long magnitude = 1 + rnd.nextInt(1000);
        bank.toAccount(account, new Account.Corrupt(rnd.nextBoolean() ? magnitude : -magnitude));
        bank.metrics().corruptions.increment();
      }
      case 2 -> {
        long now = System.currentTimeMillis();
        if (bank.claimStall(now, now + STALL.toMillis() * 3)) {
          bank.toAccount(account, new Account.Stall(STALL));
          bank.metrics().stalls.increment();
        } else {
          bank.toAccount(account, new Account.Crash());
          bank.metrics().crashes.increment();
        }
      }
      default -> {
        bank.toTeller(rnd.nextInt(bank.tellers()), new Teller.Crash());
        bank.metrics().tellerCrashes.increment();
      }
    }
  }

  /** 40% account crashes, 30% invariant violations, 10% stalls, 20% teller crashes. */
  private static int weighted(int percent) {
    if (percent < 40) return 0;
    if (percent < 70) return 1;
    if (percent < 80) return 2;
    return 3;
  }
}
