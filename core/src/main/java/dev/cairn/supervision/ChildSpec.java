package dev.cairn.supervision;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;

/**
 * How a supervisor starts, restarts and stops one child. Immutable: {@code with*} methods return copies.
 *
 * <pre>{@code
 * ChildSpec<Worker.Command> worker = ChildSpec.worker("db", Worker::create)
 *     .withRestartType(RestartType.TRANSIENT)
 *     .withGracefulShutdown(new Worker.Stop(), Duration.ofSeconds(2))
 *     .withLivenessDeadline(Duration.ofSeconds(1));
 * ChildSpec<Supervisor.Command> nested = ChildSpec.supervisor("workers", workersSpec);
 * }</pre>
 *
 * Combinations that need the supervisor (significant children and auto-shutdown) are checked when the child
 * is added to a {@link SupervisorSpec} or started dynamically.
 *
 * @param <T> the child's message type
 */
public final class ChildSpec<T> {

  /** How a child is stopped by its supervisor. */
  public enum ShutdownMode {
    /** Stopped at once (after the message it is processing). */
    IMMEDIATE,
    /** Sent its stop message; stopped at once if it has not stopped within the timeout. */
    GRACEFUL,
    /** Sent its stop message and waited for without limit (the default for child supervisors). */
    INFINITY
  }

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.~+:@&=,!*';-]{1,100}");

  private final String id;
  private final Supplier<? extends Behavior<T>> factory;
  private final SupervisorSpec nested; // non-null for a child supervisor
  private final RestartType restartType;
  private final ShutdownMode shutdownMode;
  private final Duration shutdownTimeout;
  private final T stopMessage;
  private final boolean significant;
  private final Duration livenessDeadline;
  private final FailurePolicy failurePolicy;
  private final Set<String> tags;
  private final Props props;

  private ChildSpec(String id, Supplier<? extends Behavior<T>> factory, SupervisorSpec nested, RestartType restartType,
      ShutdownMode shutdownMode, Duration shutdownTimeout, T stopMessage, boolean significant, Duration livenessDeadline,
      FailurePolicy failurePolicy, Set<String> tags, Props props) {
    this.id = id;
    this.props = props;
    this.tags = tags;
    this.factory = factory;
    this.nested = nested;
    this.restartType = restartType;
    this.shutdownMode = shutdownMode;
    this.shutdownTimeout = shutdownTimeout;
    this.stopMessage = stopMessage;
    this.significant = significant;
    this.livenessDeadline = livenessDeadline;
    this.failurePolicy = failurePolicy;
  }

  /**
   * A worker child: {@code factory} is called for every start and restart. PERMANENT, stopped immediately.
   * The id is also the prefix of the child's actor name, so it may use only letters, digits and {@code -_.~+:@&=,!*';}.
   */
  public static <T> ChildSpec<T> worker(String id, Supplier<? extends Behavior<T>> factory) {
    validateId(id);
    Objects.requireNonNull(factory, "'factory' must not be null");
    return new ChildSpec<>(id, factory, null, RestartType.PERMANENT, ShutdownMode.IMMEDIATE, null, null, false, null,
        FailurePolicy.none(), Set.of(), Props.empty());
  }

  /** A child that is itself a supervisor: PERMANENT, shutdown INFINITY (it stops its own children first). */
  public static ChildSpec<Supervisor.Command> supervisor(String id, SupervisorSpec spec) {
    validateId(id);
    Objects.requireNonNull(spec, "'spec' must not be null");
    return new ChildSpec<>(id, null, spec, RestartType.PERMANENT, ShutdownMode.INFINITY, null, null, false, null,
        FailurePolicy.none(), Set.of(), Props.empty());
  }

  private static void validateId(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new InvalidSpecException("invalid_child_id", "a child id must be 1 to 100 characters of letters, digits or "
          + "-_.~+:@&=,!*'; (it names the child's actor), was [" + id + "]");
    }
  }

  public ChildSpec<T> withRestartType(RestartType type) {
    Objects.requireNonNull(type, "'restartType' must not be null");
    return new ChildSpec<>(id, factory, nested, type, shutdownMode, shutdownTimeout, stopMessage, significant,
        livenessDeadline, failurePolicy, tags, props);
  }

  /** Stop this child at once (after the message it is processing): the default for workers. */
  public ChildSpec<T> withImmediateShutdown() {
    if (nested != null) {
      throw new InvalidSpecException("bad_combination", "child '" + id + "' is a supervisor: its shutdown is INFINITY so "
          + "that it can stop its own children in order");
    }
    return new ChildSpec<>(id, factory, nested, restartType, ShutdownMode.IMMEDIATE, null, null, significant,
        livenessDeadline, failurePolicy, tags, props);
  }

  /**
   * Stop this child by sending it {@code stopMessage} (its behavior should then stop itself); if it has not stopped
   * within {@code timeout} it is stopped at once (forced).
   */
  public ChildSpec<T> withGracefulShutdown(T stopMessage, Duration timeout) {
    if (nested != null) {
      throw new InvalidSpecException("bad_combination", "child '" + id + "' is a supervisor: its shutdown is INFINITY");
    }
    Objects.requireNonNull(stopMessage, "'stopMessage' must not be null");
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new InvalidSpecException("invalid_shutdown", "'shutdown timeout' of child '" + id + "' must be > 0, was ["
          + timeout + "]");
    }
    return new ChildSpec<>(id, factory, nested, restartType, ShutdownMode.GRACEFUL, timeout, stopMessage, significant,
        livenessDeadline, failurePolicy, tags, props);
  }

  /**
   * Marks this child significant: with the supervisor's {@link AutoShutdown} its termination on its own can shut
   * the supervisor down. A significant child must be TRANSIENT or TEMPORARY.
   */
  public ChildSpec<T> withSignificant(boolean value) {
    return new ChildSpec<>(id, factory, nested, restartType, shutdownMode, shutdownTimeout, stopMessage, value,
        livenessDeadline, failurePolicy, tags, props);
  }

  /**
   * The supervisor probes this child every {@code deadline}; a child that has not answered the previous probe when
   * the next is due is treated as failed with {@link ChildHungException}.
   */
  public ChildSpec<T> withLivenessDeadline(Duration deadline) {
    if (deadline == null || deadline.isNegative() || deadline.isZero()) {
      throw new InvalidSpecException("invalid_liveness_deadline", "'livenessDeadline' of child '" + id + "' must be > 0, was ["
          + deadline + "]");
    }
    return new ChildSpec<>(id, factory, nested, restartType, shutdownMode, shutdownTimeout, stopMessage, significant,
        deadline, failurePolicy, tags, props);
  }

  /** Local failure rules applied inside the child before its supervisor sees a failure. */
  public ChildSpec<T> withFailurePolicy(FailurePolicy policy) {
    Objects.requireNonNull(policy, "'failurePolicy' must not be null");
    return new ChildSpec<>(id, factory, nested, restartType, shutdownMode, shutdownTimeout, stopMessage, significant,
        livenessDeadline, policy, tags, props);
  }

  /**
   * Labels for this child, so that messages can be sent to a kind of children at once
   * ({@link Supervisor.TellTaggedChildren}, {@link Supervisor#askChildren}); e.g. a persistence layer tags its
   * event-sourced children to ask them all for a checkpoint.
   */
  public ChildSpec<T> withTags(String... more) {
    Set<String> copy = new java.util.TreeSet<>(tags);
    for (String t : more) {
      if (t == null || t.isBlank()) {
        throw new InvalidSpecException("invalid_tag", "a tag of child '" + id + "' must not be blank, was [" + t + "]");
      }
      copy.add(t);
    }
    return new ChildSpec<>(id, factory, nested, restartType, shutdownMode, shutdownTimeout, stopMessage, significant,
        livenessDeadline, failurePolicy, Set.copyOf(copy), props);
  }

  /** Pekko props for the child's actor, e.g. {@code DispatcherSelector.fromConfig("blocking-dispatcher")}. */
  public ChildSpec<T> withProps(Props value) {
    Objects.requireNonNull(value, "'props' must not be null");
    return new ChildSpec<>(id, factory, nested, restartType, shutdownMode, shutdownTimeout, stopMessage, significant,
        livenessDeadline, failurePolicy, tags, value);
  }

  /** Checks the combinations of this spec alone; called by {@link SupervisorSpec} and dynamic starts. */
  void validate(AutoShutdown autoShutdown, String supervisorName) {
    if (significant && restartType == RestartType.PERMANENT) {
      throw new InvalidSpecException("bad_combination", "child '" + id + "' of supervisor '" + supervisorName
          + "' is significant and PERMANENT; a significant child must be TRANSIENT or TEMPORARY");
    }
    if (significant && autoShutdown == AutoShutdown.NEVER) {
      throw new InvalidSpecException("bad_combination", "child '" + id + "' is significant but supervisor '" + supervisorName
          + "' has auto-shutdown NEVER; use ANY_SIGNIFICANT or ALL_SIGNIFICANT, or make the child not significant");
    }
  }

  public String id() {
    return id;
  }

  /** The behavior factory of a worker; empty for a child supervisor. */
  public Optional<Supplier<? extends Behavior<T>>> factory() {
    return Optional.ofNullable(factory);
  }

  /** The spec of a child supervisor; empty for a worker. */
  public Optional<SupervisorSpec> supervisorSpec() {
    return Optional.ofNullable(nested);
  }

  public boolean isSupervisor() {
    return nested != null;
  }

  public RestartType restartType() {
    return restartType;
  }

  public ShutdownMode shutdownMode() {
    return shutdownMode;
  }

  /** The graceful shutdown timeout (GRACEFUL only). */
  public Optional<Duration> shutdownTimeout() {
    return Optional.ofNullable(shutdownTimeout);
  }

  /** The message sent to stop this child gracefully (GRACEFUL only; supervisors get an internal one). */
  public Optional<T> stopMessage() {
    return Optional.ofNullable(stopMessage);
  }

  public boolean significant() {
    return significant;
  }

  public Optional<Duration> livenessDeadline() {
    return Optional.ofNullable(livenessDeadline);
  }

  public FailurePolicy failurePolicy() {
    return failurePolicy;
  }

  public Set<String> tags() {
    return tags;
  }

  public Props props() {
    return props;
  }

  @Override
  public String toString() {
    return "ChildSpec(" + id + ", " + (nested != null ? "supervisor" : "worker") + ", " + restartType + ", shutdown "
        + shutdownMode + (shutdownTimeout != null ? " " + shutdownTimeout : "") + (significant ? ", significant" : "")
        + (livenessDeadline != null ? ", liveness " + livenessDeadline : "") + ")";
  }
}
