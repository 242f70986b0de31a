package dev.stagegate.release;

import static dev.stagegate.api.common.CheckResult.Pass;
import static dev.stagegate.release.ReleaseScenario.ERROR_RATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.analysis.CheckOutcome;
import dev.stagegate.api.common.Approval;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.notify.ReleaseTransitions;
import dev.stagegate.notify.Transition;
import dev.stagegate.release.plan.ReleasePlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The transitions notifications are sent for, found between the statuses the real planner writes turn by turn. */
class ReleaseTransitionsTest {

  private static List<String> transitions(ReleaseScenario s) {
    List<String> seen = new ArrayList<>();
    ReleaseStatus before = null;
    for (ReleasePlan plan : s.plans()) {
      for (Transition t : ReleaseTransitions.between(before, plan.status())) {
        seen.add(t.kind() + (t.stage() == null ? "" : " " + t.stage()));
      }
      before = plan.status();
    }
    return seen;
  }

  @Test
  @DisplayName("given a canary that fails at 50%, when it runs (with a restart and a re-plan every turn), then the transitions are the first promotion, each stage started and passed once, and one rollback")
  void canaryThatRollsBack() {
    ReleaseScenario s = ReleaseScenario.standard().restartEveryTurn().replanEveryTurn();
    String[] bad = new String[1];
    s.script(ERROR_RATE, ctx -> ctx.stage().equals("canary-50") && ctx.revision().equals(bad[0])
        ? CheckOutcome.fail(0.3, "0.3 > 0.05") : ReleaseScenario.outcome(Pass));
    s.deployFirstRevision();
    bad[0] = s.changeTemplate("registry.example/web:2.0");
    s.runUntilPhase(ReleasePhase.RolledBack, Duration.ofMinutes(15));
    s.runFor(Duration.ofMinutes(1));

    assertThat(transitions(s)).containsExactly("Promoted", "StageStarted canary-10", "StagePassed canary-10",
        "StageStarted canary-50", "RolledBack canary-50");
    Transition rollback = ReleaseTransitions.between(null, s.status()).stream()
        .filter(t -> t.kind().name().equals("RolledBack")).findFirst().orElseThrow();
    assertThat(rollback.revision()).isEqualTo(bad[0]);
    assertThat(rollback.checks()).extracting(c -> c.getName()).containsExactly(ERROR_RATE);
  }

  @Test
  @DisplayName("given a Manual stage, when the canary reaches it and is approved, then it notifies Paused (AwaitingApproval) once, the stages passed, and the promotion")
  void manualStageAndPromotion() {
    ReleaseScenario s = ReleaseScenario.standard();
    s.edit(spec -> spec.getStages().get(1).setApproval(Approval.Manual));
    s.deployFirstRevision();
    String canary = s.changeTemplate("registry.example/web:2.0");
    s.runUntil(x -> ReleaseReasons.Pause.AwaitingApproval.name().equals(x.status().getPauseReason()), Duration.ofMinutes(15));
    s.runFor(Duration.ofSeconds(40));
    s.annotate("promote");
    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(15));

    assertThat(transitions(s)).containsExactly("Promoted", "StageStarted canary-10", "StagePassed canary-10",
        "StageStarted canary-50", "Paused canary-50", "StagePassed canary-50", "StageStarted full",
        "StagePassed full", "Promoted full");
    List<Transition> last = ReleaseTransitions.between(s.plans().get(s.plans().size() - 2).status(), s.status());
    assertThat(last).extracting(Transition::revision).containsOnly(canary);
  }
}
