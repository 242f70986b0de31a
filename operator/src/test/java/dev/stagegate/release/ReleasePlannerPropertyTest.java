package dev.stagegate.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.Approval;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.common.FailurePolicy;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.ReleaseSpec;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.api.release.Stage;
import dev.stagegate.api.release.StageStatus;
import dev.stagegate.release.plan.ReleasePlan;
import dev.stagegate.release.plan.ReleaseValidator;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Seeded random Releases and observation sequences through the Release planner (as {@link ReleaseScenario} drives
 * it: a simulated kubelet, scripted checks, a clock moved by the test): whatever the pods, the checks and people
 * do, it never throws and never does what it must not. After every turn: the requested canary weight is never
 * above the current stage's; a promotion no person asked for happens only when every check passed in the last
 * stage and none failed in that turn; and with an invalid spec no Deployment is touched. A failing seed is
 * printed so it can be replayed.
 */
class ReleasePlannerPropertyTest {
  private static final long SEED = 20261206L;
  private static final int RUNS = 2_000;
  private static final int TURNS = 40;
  private static final String[] ACTIONS = {"promote", "promote-full", "abort", "retry", "pause", "resume",
      "rollback", "{{x}}\"'\u0000"};
  private static final String[] DURATIONS = {"0s", "10s", "1m", "2m"};
  private static final CheckResult[] RESULTS = CheckResult.values();
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /**
   * One seed, by default the one that found `retry` after a failed check in a later stage restarting the canary at
   * the first stage while still asking the failed stage's weight (100% at a 54% stage). Any seed can be replayed:
   * -Dproperty.seed=N.
   */
  @Test
  @DisplayName("given the seed of a retry after a failed later stage, then the canary restarts at the first stage's weight, not the failed stage's")
  void replay() {
    run(new Random(Long.getLong("property.seed", -3676308165919483496L)));
  }

  @Test
  @DisplayName("given 2,000 seeded random Releases of 40 turns each, then the planner never throws, never asks a weight above the stage's, never promotes on a failing or missing check, and never touches a Deployment with an invalid spec")
  void neverThrowsNeverDoesWhatItMustNot() {
    Random seeds = new Random(SEED);
    Counts total = new Counts();
    for (int run = 0; run < RUNS; run++) {
      long seed = seeds.nextLong();
      try {
        total.add(run(new Random(seed)));
      } catch (Throwable t) {
        throw new AssertionError("seed " + seed + " (run " + run + "): " + t, t);
      }
    }
    System.out.printf("%d runs: %d automatic promotions, %d turns with an invalid spec, %d canary turns%n", RUNS,
        total.promotions, total.invalidTurns, total.canaryTurns);
    assertThat(total.promotions).as("the walks reached automatic promotions").isGreaterThan(RUNS / 10);
    assertThat(total.invalidTurns).as("the walks reached invalid specs").isGreaterThan(RUNS / 10);
    assertThat(total.canaryTurns).as("the walks spent turns in a canary").isGreaterThan(RUNS * 5);
  }

  private static Counts run(Random r) {
    Counts counts = new Counts();
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> randomSpec(r, spec));
    for (Check check : s.release().getSpec().getChecks()) {
      // Each check leans one way, so some walks pass all the way and others fail.
      CheckResult lean = RESULTS[r.nextInt(RESULTS.length)];
      s.script(check.getName(), ctx -> ReleaseScenario.outcome(r.nextInt(4) == 0 ? RESULTS[r.nextInt(RESULTS.length)]
          : r.nextInt(3) == 0 ? CheckResult.Pass : lean));
    }
    ReleaseSpec valid = copy(s.release().getSpec());
    int image = 1;
    for (int turn = 0; turn < TURNS; turn++) {
      String action = null;
      switch (r.nextInt(12)) {
        case 0 -> s.changeTemplate("registry.example/web:" + (++image));
        case 1 -> {
          action = ACTIONS[r.nextInt(ACTIONS.length)];
          s.annotate(action);
        }
        case 2 -> s.edit(spec -> breakSpec(r, spec));
        case 3, 4 -> {
          ReleaseSpec back = copy(valid);
          back.setTemplate(s.release().getSpec().getTemplate());
          s.edit(spec -> restore(spec, back));
        }
        case 5 -> s.holdReady(s.revision(), r.nextInt(3));
        case 6 -> s.releaseReady(s.revision());
        default -> { }
      }
      action = s.pendingAnnotation();
      ReleaseStatus before = s.status() == null ? new ReleaseStatus() : s.status();
      String canaryBefore = before.getCanaryRevision();
      String stableBefore = before.getStableRevision();
      Map<String, Boolean> passedInStage = new HashMap<>();
      before.getChecks().forEach(c -> passedInStage.put(c.getName(), Boolean.TRUE.equals(c.getPassedInStage())));
      boolean invalid = !ReleaseValidator.validate(s.release()).isEmpty();
      s.advance(Duration.ofSeconds(r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(90)));
      ReleasePlan plan = s.turn();
      ReleaseStatus after = plan.status();
      int t = turn;
      String a = action;
      Supplier<String> at = () -> "turn " + t + " (action " + a + ", status before " + canaryBefore + "/" + stableBefore
          + ", checks passed in stage " + passedInStage + ", now " + JSON.asJson(after) + ")";

      if (invalid) {
        counts.invalidTurns++;
        require(plan.changes().isEmpty() && plan.route() == null, () -> "Deployment changes " + plan.changes()
            + " or a route write with an invalid spec, " + at.get());
      }
      StageStatus stage = after.getCurrentStage();
      if (after.getCanaryRevision() != null && stage != null && stage.getIndex() != null
          && after.getRequestedWeight() != null) {
        counts.canaryTurns++;
        List<Stage> stages = s.release().getSpec().getStages();
        require(stage.getIndex() >= 0 && stage.getIndex() < stages.size(), () -> "stage index, " + at.get());
        require(after.getRequestedWeight() <= stages.get(stage.getIndex()).getWeight(),
            () -> "requested weight above stage " + stage.getName() + "'s (stages " + JSON.asJson(stages) + "), " + at.get());
      }
      boolean promoted = canaryBefore != null && canaryBefore.equals(after.getStableRevision())
          && !canaryBefore.equals(stableBefore);
      if (promoted && action == null) {
        counts.promotions++;
        for (Check check : s.release().getSpec().getChecks()) {
          ReleaseScenario.Evaluation now = evaluatedThisTurn(s, check.getName());
          CheckResult result = now == null ? null : now.outcome().result();
          boolean passed = result == CheckResult.Pass
              || passedInStage.getOrDefault(check.getName(), false) && result != CheckResult.Fail;
          require(passed, () -> "promoted though check " + check.getName() + " had not passed in the stage (this turn: "
              + (result == null ? "not evaluated" : result) + "), " + at.get());
        }
      }
    }
    return counts;
  }

  private static void require(boolean holds, Supplier<String> what) {
    if (!holds) {
      throw new AssertionError(what.get());
    }
  }

  /** The evaluation of {@code check} made in the last turn, if any. */
  private static ReleaseScenario.Evaluation evaluatedThisTurn(ReleaseScenario s, String check) {
    List<ReleaseScenario.Evaluation> all = s.evaluations();
    for (int i = all.size() - 1; i >= 0; i--) {
      ReleaseScenario.Evaluation e = all.get(i);
      if (!e.context().at().equals(s.now())) {
        return null;
      }
      if (e.context().check().equals(check)) {
        return e;
      }
    }
    return null;
  }

  private static void randomSpec(Random r, ReleaseSpec spec) {
    spec.setReplicas(1 + r.nextInt(12));
    int count = 1 + r.nextInt(4);
    List<Stage> stages = new ArrayList<>();
    int weight = 0;
    for (int i = 0; i < count; i++) {
      weight = i == count - 1 ? 100 : Math.min(99, weight + 1 + r.nextInt(60));
      stages.add(new Stage("s" + i, weight, DURATIONS[r.nextInt(DURATIONS.length)],
          r.nextInt(4) == 0 ? Approval.Manual : Approval.Auto));
    }
    spec.setStages(stages);
    List<Check> checks = new ArrayList<>();
    for (int i = 0, n = r.nextInt(3); i < n; i++) {
      Check check = ReleaseScenario.check("c" + i, 0.05);
      check.setInterval(r.nextBoolean() ? "10s" : "30s");
      check.setFailureLimit(1 + r.nextInt(3));
      checks.add(check);
    }
    spec.setChecks(checks);
    if (r.nextBoolean()) {
      spec.setOnFailure(FailurePolicy.Pause);
    }
  }

  /** One mistake the validator refuses. */
  private static void breakSpec(Random r, ReleaseSpec spec) {
    switch (r.nextInt(4)) {
      case 0 -> spec.setReplicas(0);
      case 1 -> spec.getStages().get(0).setDuration("5 minutes");
      case 2 -> spec.getStages().get(spec.getStages().size() - 1).setWeight(150);
      default -> spec.setProgressDeadline("-5m");
    }
  }

  private static void restore(ReleaseSpec spec, ReleaseSpec valid) {
    spec.setReplicas(valid.getReplicas());
    spec.setStages(valid.getStages());
    spec.setProgressDeadline(valid.getProgressDeadline());
    spec.setTemplate(valid.getTemplate());
  }

  private static <T> T copy(T value) {
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) value.getClass();
    return JSON.unmarshal(JSON.asJson(value), type);
  }

  private static final class Counts {
    int promotions;
    int invalidTurns;
    int canaryTurns;

    void add(Counts other) {
      promotions += other.promotions;
      invalidTurns += other.invalidTurns;
      canaryTurns += other.canaryTurns;
    }
  }
}
