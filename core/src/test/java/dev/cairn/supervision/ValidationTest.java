package dev.cairn.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Specs, directives and policies are validated when built, with a named reason and the offending value. */
class ValidationTest {

  private static void rejects(String reason, String valueInMessage, Executable build) {
    InvalidSpecException e = assertThrows(InvalidSpecException.class, build);
    assertEquals(reason, e.reason());
    assertTrue(e.getMessage().contains(valueInMessage), e.getMessage());
  }

  private static ChildSpec<Object> child(String id) {
    return ChildSpec.worker(id, Behaviors::empty);
  }

  @Test
  void aSignificantPermanentChildIsABadCombination() {
    rejects("bad_combination", "significant and PERMANENT", () -> SupervisorSpec.oneForOne("s")
        .withAutoShutdown(AutoShutdown.ANY_SIGNIFICANT).withChild(child("c").withSignificant(true)));
  }

  @Test
  void aSignificantChildUnderAutoShutdownNeverIsABadCombination() {
    rejects("bad_combination", "auto-shutdown NEVER", () -> SupervisorSpec.oneForOne("s")
        .withChild(child("c").withRestartType(RestartType.TRANSIENT).withSignificant(true)));
  }

  @Test
  void duplicateChildIdsAreRejected() {
    rejects("duplicate_child_id", "[c]", () -> SupervisorSpec.oneForOne("s").withChild(child("c")).withChild(child("c")));
  }

  @Test
  void intensityAndPeriodMustBeValid() {
    rejects("invalid_intensity", "[-1]", () -> SupervisorSpec.oneForOne("s").withIntensity(-1, Duration.ofSeconds(1)));
    rejects("invalid_period", "[PT0S]", () -> SupervisorSpec.oneForOne("s").withIntensity(1, Duration.ZERO));
  }

  @Test
  void idsAndNamesMustBeUsableAsActorNames() {
    rejects("invalid_child_id", "[has space]", () -> child("has space"));
    rejects("invalid_name", "[]", () -> SupervisorSpec.oneForOne(""));
  }

  @Test
  void shutdownAndLivenessTimesMustBePositive() {
    rejects("invalid_shutdown", "[PT-1S]", () -> child("c").withGracefulShutdown("stop", Duration.ofSeconds(-1)));
    rejects("invalid_liveness_deadline", "[PT0S]", () -> child("c").withLivenessDeadline(Duration.ZERO));
    rejects("bad_combination", "supervisor", () -> ChildSpec.supervisor("n", SupervisorSpec.oneForOne("n"))
        .withImmediateShutdown());
  }

  @Test
  void directivesRejectOptionsThatDoNotApplyAndBadValues() {
    rejects("bad_combination", "[RESUME]", () -> Directive.resume().withLimit(3, Duration.ofSeconds(1)));
    rejects("invalid_limit", "[-1]", () -> Directive.restart().withLimit(-1, Duration.ofSeconds(1)));
    rejects("invalid_backoff", "[1.5]", () -> Directive.restartWithBackoff(Duration.ofMillis(1), Duration.ofMillis(2), 1.5));
    rejects("invalid_backoff", "[PT0.001S]",
        () -> Directive.restartWithBackoff(Duration.ofMillis(5), Duration.ofMillis(1), 0.1));
    rejects("bad_combination", "[RESTART]", () -> Directive.restart().withResetBackoffAfter(Duration.ofSeconds(1)));
    rejects("invalid_stash_capacity", "[-5]", () -> Directive.restart().withStashCapacity(-5));
  }

  @Test
  void aRuleShadowedByAnEarlierBroaderRuleIsUnreachable() {
    rejects("unreachable_rule", "[java.io.FileNotFoundException]", () -> FailurePolicy
        .onFailure(IOException.class, Directive.restart())
        .orOnFailure(FileNotFoundException.class, Directive.resume()));
  }
}
