package dev.cairn.examples.demo;

import dev.cairn.supervision.Supervisor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * What the actors of one demo run share: its shape (accounts, tellers, seed), two switches (the
 * bank is open for new transfers; the fault injector is on) and the counters. Actors reach
 * accounts and tellers through the {@link #router} by index; the router reaches them through the
 * supervision tree by child id, so a restarted child is found again.
 */
public final class Bank {
  private final long seed;
  private final int accounts;
  private final int groupSize;
  private final int tellers;
  private final boolean poison;
  private final Metrics metrics = new Metrics();
  private final AtomicBoolean open = new AtomicBoolean();
  private final AtomicBoolean faults = new AtomicBoolean();
  private final AtomicBoolean poisonWritten = new AtomicBoolean();
  private final AtomicLong poisonAttemptAt = new AtomicLong();
  private final AtomicInteger poisonVictim = new AtomicInteger(-1);
  private final AtomicLong stallUntil = new AtomicLong();
  private final AtomicInteger injectorStarts = new AtomicInteger();
  private volatile ActorRef<Route> router;

  private static final long POISON_RETRY_MILLIS = 2_000;

  Bank(long seed, int accounts, int groupSize, int tellers, boolean poison) {
    this.seed = seed;
    this.accounts = accounts;
    this.groupSize = groupSize;
    this.tellers = tellers;
    this.poison = poison;
  }

  public long seed() {
    return seed;
  }

  public int accounts() {
    return accounts;
  }

  public int tellers() {
    return tellers;
  }

  public int groupSize() {
    return groupSize;
  }

  public int groups() {
    return (accounts + groupSize - 1) / groupSize;
  }

  public Metrics metrics() {
    return metrics;
  }

  /** Whether tellers start new transfers (pending ones are always finished). */
  public boolean open() {
    return open.get();
  }

  void setOpen(boolean value) {
    open.set(value);
  }

  /** Whether the fault injector injects faults. */
  boolean faultsOn() {
    return faults.get();
  }

  void setFaults(boolean value) {
    faults.set(value);
  }

  /** Whether a poison event was asked for ({@code --poison}). */
  boolean poisonRequested() {
    return poison;
  }

  /** Counts the fault injector's starts; returns how many there were before this one. */
  int injectorStarted() {
    return injectorStarts.getAndIncrement();
  }

  /**
   * Whether to send the poison event now: once per run, again only if its write was not confirmed
   * within {@link #POISON_RETRY_MILLIS} (the message was lost to a restarting account).
   */
  boolean claimPoisonAttempt(long nowMillis) {
    if (poisonWritten.get()) return false;
    long last = poisonAttemptAt.get();
    if (last != 0 && nowMillis - last < POISON_RETRY_MILLIS) return false;
    return poisonAttemptAt.compareAndSet(last, nowMillis);
  }

  /** The account that receives the poison event: the first one drawn, for every attempt. */
  int poisonVictim(int drawn) {
    poisonVictim.compareAndSet(-1, drawn);
    return poisonVictim.get();
  }

  /** Called by the account once the poison event is in the journal. */
  void poisonWritten() {
    if (poisonWritten.compareAndSet(false, true)) metrics.poisons.increment();
  }

  /** Claims the right to stall a child until {@code untilMillis}, if no other stall is going on. */
  boolean claimStall(long nowMillis, long untilMillis) {
    long current = stallUntil.get();
    return current <= nowMillis && stallUntil.compareAndSet(current, untilMillis);
  }

  static String groupId(int group) {
    return "group-" + group;
  }

  static String accountId(int index) {
    return "account-" + index;
  }

  static String tellerId(int index) {
    return "teller-" + index;
  }

  void toAccount(int index, Account.Command command) {
    router.tell(new ToAccount(index, command));
  }

  void toTeller(int index, Teller.Command command) {
    router.tell(new ToTeller(index, command));
  }

  ActorRef<Route> router() {
    return router;
  }

  void setRouter(ActorRef<Route> ref) {
    router = ref;
  }

  // ------------------------------------------------------------------ router

  /** What the router forwards. */
  public sealed interface Route {}

  public record ToAccount(int index, Account.Command command) implements Route {}

  public record ToTeller(int index, Teller.Command command) implements Route {}

  /** The current root supervisor of the tree (set again if the top restarts it). */
  record RootIs(ActorRef<Supervisor.Command> root) implements Route {}

  /**
   * Forwards to an account or teller through the tree: root, then {@code accounts} or {@code tellers},
   * then the group, then the child. Stashes until it knows the root.
   */
  Behavior<Route> routerBehavior() {
    return Behaviors.withStash(10_000, stash -> Behaviors.receive(Route.class)
        .onMessage(RootIs.class, r -> stash.unstashAll(routing(r.root())))
        .onAnyMessage(m -> {
          if (!stash.isFull()) stash.stash(m);
          return Behaviors.same();
        })
        .build());
  }

  private Behavior<Route> routing(ActorRef<Supervisor.Command> root) {
    return Behaviors.receive(Route.class)
        .onMessage(RootIs.class, r -> routing(r.root()))
        .onMessage(ToAccount.class, m -> {
          int g = m.index() / groupSize;
          root.tell(new Supervisor.TellChild(BankTree.ACCOUNTS,
              new Supervisor.TellChild(groupId(g), new Supervisor.TellChild(accountId(m.index()), m.command()))));
          return Behaviors.same();
        })
        .onMessage(ToTeller.class, m -> {
          root.tell(new Supervisor.TellChild(BankTree.TELLERS, new Supervisor.TellChild(tellerId(m.index()), m.command())));
          return Behaviors.same();
        })
        .build();
  }

}
