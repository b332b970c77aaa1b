package dev.cairn.supervision;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.event.Level;

/**
 * Everything a supervisor is: its name, restart strategy, intensity, auto-shutdown and ordered children.
 * Immutable and validated on every {@code with*} call; the error names the offending value.
 *
 * <pre>{@code
 * SupervisorSpec spec = SupervisorSpec.oneForAll("orders")
 *     .withIntensity(3, Duration.ofSeconds(10))
 *     .withChild(ChildSpec.worker("db", Db::create))
 *     .withChild(ChildSpec.worker("api", Api::create));
 * ActorRef<Supervisor.Command> sup = system.systemActorOf(Supervisor.create(spec), "orders", Props.empty());
 * }</pre>
 */
public final class SupervisorSpec {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.~+:@&=,!*'$;/-]{1,200}");

  private final String name;
  private final RestartStrategy strategy;
  private final int maxRestarts;
  private final Duration period;
  private final AutoShutdown autoShutdown;
  private final List<ChildSpec<?>> children;
  private final Clock clock;
  private final List<SupervisionListener> listeners;
  private final int historySize;
  private final boolean publishToEventStream;
  private final MessageRedactor redactor;
  private final Level failureLogLevel;

  private SupervisorSpec(String name, RestartStrategy strategy, int maxRestarts, Duration period, AutoShutdown autoShutdown,
      List<ChildSpec<?>> children, Clock clock, List<SupervisionListener> listeners, int historySize,
      boolean publishToEventStream, MessageRedactor redactor, Level failureLogLevel) {
    this.name = name;
    this.strategy = strategy;
    this.maxRestarts = maxRestarts;
    this.period = period;
    this.autoShutdown = autoShutdown;
    this.children = List.copyOf(children);
    this.clock = clock;
    this.listeners = List.copyOf(listeners);
    this.historySize = historySize;
    this.publishToEventStream = publishToEventStream;
    this.redactor = redactor;
    this.failureLogLevel = failureLogLevel;
  }

  /**
   * A supervisor named {@code name} (its identity in events and logs) with {@code strategy}, intensity 1 restart in
   * 5 seconds (OTP's default), auto-shutdown NEVER, no children, the system UTC clock and event stream publishing on.
   */
  public static SupervisorSpec of(String name, RestartStrategy strategy) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidSpecException("invalid_name", "a supervisor name must be 1 to 200 characters of letters, digits or "
          + "-_.~+:@&=,!*'$;/, was [" + name + "]");
    }
    Objects.requireNonNull(strategy, "'strategy' must not be null");
    return new SupervisorSpec(name, strategy, 1, Duration.ofSeconds(5), AutoShutdown.NEVER, List.of(), Clock.systemUTC(),
        List.of(), 100, true, MessageRedactor.hideAll(), Level.WARN);
  }

  public static SupervisorSpec oneForOne(String name) {
    return of(name, RestartStrategy.ONE_FOR_ONE);
  }

  public static SupervisorSpec oneForAll(String name) {
    return of(name, RestartStrategy.ONE_FOR_ALL);
  }

  public static SupervisorSpec restForOne(String name) {
    return of(name, RestartStrategy.REST_FOR_ONE);
  }

  private SupervisorSpec copy(int maxRestarts, Duration period, AutoShutdown autoShutdown, List<ChildSpec<?>> children,
      Clock clock, List<SupervisionListener> listeners, int historySize, boolean publish, MessageRedactor redactor,
      Level level) {
    return new SupervisorSpec(name, strategy, maxRestarts, period, autoShutdown, children, clock, listeners, historySize,
        publish, redactor, level);
  }

  /**
   * At most {@code maxRestarts} restarts within {@code period}, counted across all children; one more and the
   * supervisor stops its children in reverse start order and fails with {@link RestartIntensityExceededException}.
   */
  public SupervisorSpec withIntensity(int maxRestarts, Duration period) {
    if (maxRestarts < 0) {
      throw new InvalidSpecException("invalid_intensity", "'maxRestarts' of supervisor '" + name + "' must be >= 0, was ["
          + maxRestarts + "]");
    }
    if (period == null || period.isNegative() || period.isZero()) {
      throw new InvalidSpecException("invalid_period", "'period' of supervisor '" + name + "' must be > 0, was [" + period + "]");
    }
    return copy(maxRestarts, period, autoShutdown, children, clock, listeners, historySize, publishToEventStream, redactor,
        failureLogLevel);
  }

  /** Shut the supervisor down when significant children terminate on their own. */
  public SupervisorSpec withAutoShutdown(AutoShutdown value) {
    Objects.requireNonNull(value, "'autoShutdown' must not be null");
    for (ChildSpec<?> c : children) {
      c.validate(value, name);
    }
    return copy(maxRestarts, period, value, children, clock, listeners, historySize, publishToEventStream, redactor,
        failureLogLevel);
  }

  /** Appends a child; children start in the order they were added and stop in reverse order. */
  public SupervisorSpec withChild(ChildSpec<?> child) {
    Objects.requireNonNull(child, "'child' must not be null");
    for (ChildSpec<?> c : children) {
      if (c.id().equals(child.id())) {
        throw new InvalidSpecException("duplicate_child_id", "supervisor '" + name + "' already has a child with id ["
            + child.id() + "]");
      }
    }
    child.validate(autoShutdown, name);
    List<ChildSpec<?>> copy = new ArrayList<>(children);
    copy.add(child);
    return copy(maxRestarts, period, autoShutdown, copy, clock, listeners, historySize, publishToEventStream, redactor,
        failureLogLevel);
  }

  /** Appends several children in order. */
  public SupervisorSpec withChildren(List<? extends ChildSpec<?>> more) {
    SupervisorSpec s = this;
    Set<String> seen = new HashSet<>();
    for (ChildSpec<?> c : more) {
      if (!seen.add(c.id())) {
        throw new InvalidSpecException("duplicate_child_id", "child id [" + c.id() + "] appears twice");
      }
      s = s.withChild(c);
    }
    return s;
  }

  /** The clock that times the intensity window and failure records (inject a fixed or manual clock in tests). */
  public SupervisorSpec withClock(Clock value) {
    Objects.requireNonNull(value, "'clock' must not be null");
    return copy(maxRestarts, period, autoShutdown, children, value, listeners, historySize, publishToEventStream, redactor,
        failureLogLevel);
  }

  /** Adds a listener that receives every event of this supervisor, on the supervisor's thread. */
  public SupervisorSpec withListener(SupervisionListener listener) {
    Objects.requireNonNull(listener, "'listener' must not be null");
    List<SupervisionListener> copy = new ArrayList<>(listeners);
    copy.add(listener);
    return copy(maxRestarts, period, autoShutdown, children, clock, copy, historySize, publishToEventStream, redactor,
        failureLogLevel);
  }

  /** How many failure records the supervisor keeps (oldest dropped first); default 100. */
  public SupervisorSpec withFailureHistorySize(int size) {
    if (size < 1) {
      throw new InvalidSpecException("invalid_history_size", "'failureHistorySize' must be >= 1, was [" + size + "]");
    }
    return copy(maxRestarts, period, autoShutdown, children, clock, listeners, size, publishToEventStream, redactor,
        failureLogLevel);
  }

  /** Whether events are also published on the actor system's EventStream (default true). */
  public SupervisorSpec withEventStreamPublishing(boolean publish) {
    return copy(maxRestarts, period, autoShutdown, children, clock, listeners, historySize, publish, redactor,
        failureLogLevel);
  }

  /** Decides which message payloads failure records may keep (default: none). */
  public SupervisorSpec withMessageRedactor(MessageRedactor value) {
    Objects.requireNonNull(value, "'redactor' must not be null");
    return copy(maxRestarts, period, autoShutdown, children, clock, listeners, historySize, publishToEventStream, value,
        failureLogLevel);
  }

  /** The level at which child failures are logged (default WARN). */
  public SupervisorSpec withFailureLogLevel(Level level) {
    Objects.requireNonNull(level, "'failureLogLevel' must not be null");
    return copy(maxRestarts, period, autoShutdown, children, clock, listeners, historySize, publishToEventStream, redactor,
        level);
  }

  /** Validates a child against this supervisor (used for dynamic starts). */
  public void validateChild(ChildSpec<?> child) {
    child.validate(autoShutdown, name);
  }

  public String name() {
    return name;
  }

  public RestartStrategy strategy() {
    return strategy;
  }

  public int maxRestarts() {
    return maxRestarts;
  }

  public Duration period() {
    return period;
  }

  public AutoShutdown autoShutdown() {
    return autoShutdown;
  }

  public List<ChildSpec<?>> children() {
    return children;
  }

  public Clock clock() {
    return clock;
  }

  public List<SupervisionListener> listeners() {
    return listeners;
  }

  public int failureHistorySize() {
    return historySize;
  }

  public boolean publishToEventStream() {
    return publishToEventStream;
  }

  public MessageRedactor redactor() {
    return redactor;
  }

  public Level failureLogLevel() {
    return failureLogLevel;
  }

  @Override
  public String toString() {
    return "SupervisorSpec(" + name + ", " + strategy + ", intensity " + maxRestarts + " in " + period + ", auto-shutdown "
        + autoShutdown + ", children " + children.stream().map(ChildSpec::id).toList() + ")";
  }
}
