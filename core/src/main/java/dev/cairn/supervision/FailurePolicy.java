package dev.cairn.supervision;

import dev.cairn.supervision.internal.RuleLayers;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.pekko.actor.typed.Behavior;

/**
 * Flat, ordered failure rules for any {@code Behavior<T>}: the first rule whose exception type matches the
 * failure decides. A failure that no rule matches escalates (the actor fails and its parent decides).
 *
 * <pre>{@code
 * Behavior<Cmd> guarded = FailurePolicy
 *     .onFailure(TimeoutException.class, Directive.resume())
 *     .orOnFailure(IOException.class, Directive.restart().withLimit(3, Duration.ofSeconds(10)))
 *     .orOnFailure(IllegalStateException.class, Directive.stop())
 *     .applyTo(behavior);
 * }</pre>
 *
 * A rule that can never match because an earlier rule already matches all of its exceptions is rejected when
 * the policy is built ({@code unreachable_rule}).
 */
public final class FailurePolicy {

  /** At most this many rules per policy. */
  public static final int MAX_RULES = RuleLayers.MAX_RULES;

  /** One rule: failures of {@code type} (and its subtypes) get {@code directive}. */
  public record Rule(Class<? extends Throwable> type, Directive directive) {
    public Rule {
      Objects.requireNonNull(type, "'type' must not be null");
      Objects.requireNonNull(directive, "'directive' must not be null");
    }

    @Override
    public String toString() {
      return type.getName() + " -> " + directive;
    }
  }

  private static final FailurePolicy NONE = new FailurePolicy(List.of());
  private final List<Rule> rules;

  private FailurePolicy(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** No rules: every failure escalates. */
  public static FailurePolicy none() {
    return NONE;
  }

  /** A policy whose first rule handles {@code type} with {@code directive}. */
  public static FailurePolicy onFailure(Class<? extends Throwable> type, Directive directive) {
    return NONE.orOnFailure(type, directive);
  }

  /** A copy with one more rule, consulted after every existing rule. */
  public FailurePolicy orOnFailure(Class<? extends Throwable> type, Directive directive) {
    Rule rule = new Rule(type, directive);
    if (rules.size() >= MAX_RULES) {
      throw new InvalidSpecException("too_many_rules", "a failure policy holds at most " + MAX_RULES + " rules, was ["
          + (rules.size() + 1) + "]");
    }
    for (int i = 0; i < rules.size(); i++) {
      Rule earlier = rules.get(i);
      if (earlier.type().isAssignableFrom(type)) {
        throw new InvalidSpecException("unreachable_rule", "rule " + (rules.size() + 1) + " for [" + type.getName()
            + "] can never match: rule " + (i + 1) + " for [" + earlier.type().getName()
            + "] already matches it; put the more specific rule first");
      }
    }
    List<Rule> copy = new ArrayList<>(rules);
    copy.add(rule);
    return new FailurePolicy(copy);
  }

  public List<Rule> rules() {
    return rules;
  }

  /** The rule that decides {@code failure}: the first whose type matches. */
  public Optional<Rule> ruleFor(Throwable failure) {
    for (Rule r : rules) {
      if (r.type().isInstance(failure)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** {@code behavior} guarded by these rules. */
  public <T> Behavior<T> applyTo(Behavior<T> behavior) {
    Objects.requireNonNull(behavior, "'behavior' must not be null");
    return rules.isEmpty() ? behavior : RuleLayers.apply(rules, behavior);
  }

  @Override
  public String toString() {
    return rules.isEmpty() ? "FailurePolicy(escalate everything)" : "FailurePolicy" + rules;
  }
}
