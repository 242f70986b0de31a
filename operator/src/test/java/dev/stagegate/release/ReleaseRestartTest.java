package dev.stagegate.release;

import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.release.plan.ReleaseObservation;
import dev.stagegate.release.plan.ReleasePlan;
import dev.stagegate.release.plan.ReleasePlanner;
import static dev.stagegate.api.common.CheckResult.NoData;
import static dev.stagegate.api.common.CheckResult.Pass;
import static dev.stagegate.release.ReleaseScenario.ERROR_RATE;
import static dev.stagegate.release.ReleaseScenario.STEP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.analysis.CheckOutcome;
import dev.stagegate.api.common.Approval;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.Stage;
import dev.stagegate.common.Note;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReleaseRestartTest {

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** A rollout with some NoData results and a Manual stage approved by annotation. */
  private static void eventfulRollout(ReleaseScenario s) {
    s.edit(spec -> spec.getStages().get(1).setApproval(Approval.Manual));
    s.script(ERROR_RATE, ctx -> ReleaseScenario.outcome(ctx.attempt() % 3 == 0 ? NoData : Pass));
    s.deployFirstRevision();
    s.changeTemplate("registry.example/web:2.0");
    s.runUntil(x -> ReleaseReasons.Pause.AwaitingApproval.name().equals(x.status().getPauseReason()), Duration.ofMinutes(15));
    s.runFor(Duration.ofSeconds(40));
    s.annotate("promote");
    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(15));
    s.runFor(Duration.ofSeconds(30));
  }

  /** A rollout that fails at 50% and is then replaced by a newer template. */
  private static void failingRollout(ReleaseScenario s) {
    String[] bad = new String[1];
    s.script(ERROR_RATE, ctx -> ctx.stage().equals("canary-50") && ctx.revision().equals(bad[0])
        ? CheckOutcome.fail(0.3, "0.3 > 0.05") : ReleaseScenario.outcome(Pass));
    s.deployFirstRevision();
    bad[0] = s.changeTemplate("registry.example/web:2.0");
    s.runUntilPhase(ReleasePhase.RolledBack, Duration.ofMinutes(15));
    s.runFor(Duration.ofMinutes(2));
    s.changeTemplate("registry.example/web:2.1");
    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(30));
  }

  @Test
  @DisplayName("given the same eventful rollout, when it runs once straight and once with an operator restart (JSON round trip, fresh planner) after every turn, then outcome, check evaluations and Events are the same")
  void restartEveryTurnChangesNothing() {
    assertSameAsStraight(ReleaseRestartTest::eventfulRollout, ReleaseScenario::restartEveryTurn);
  }

  @Test
  @DisplayName("given a rollout that rolls back and is replaced, when it runs straight and with a restart after every turn, then the results are the same")
  void restartEveryTurnWithRollback() {
    assertSameAsStraight(ReleaseRestartTest::failingRollout, ReleaseScenario::restartEveryTurn);
  }

  @Test
  @DisplayName("given a restart after every turn, when each turn is also planned a second time at the same instant on the same observation, then the second plan emits no Event, makes no evaluated check due again, and changes no outcome")
  void replanningIsIdempotent() {
    ReleaseScenario eventful = assertSameAsStraight(ReleaseRestartTest::eventfulRollout,
        s -> s.restartEveryTurn().replanEveryTurn());
    ReleaseScenario failing = assertSameAsStraight(ReleaseRestartTest::failingRollout,
        s -> s.restartEveryTurn().replanEveryTurn());

    for (ReleaseScenario s : List.of(eventful, failing)) {
      assertThat(s.replayNotes()).as("Events from re-planning a turn").isEmpty();
      assertThat(s.replayDueChecks()).as("checks due again right after being evaluated").isEmpty();
    }
  }

  @Test
  @DisplayName("given consecutive stages that need the same number of canary pods (10% and 12% of 10 are both 1 pod), when each turn is planned twice, then the outcome is the same as planning once")
  void replanningIsIdempotentWhenTheNextStageIsAlreadyAtWeight() {
    Consumer<ReleaseScenario> rollout = s -> {
      s.edit(spec -> spec.setStages(new ArrayList<>(List.of(new Stage("canary-10", 10, "1m", null),
          new Stage("canary-12", 12, "1m", null), new Stage("full", 100, null, null)))));
      s.deployFirstRevision();
      s.changeTemplate("registry.example/web:2.0");
      s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(10));
    };
    ReleaseScenario twice = assertSameAsStraight(rollout, ReleaseScenario::replanEveryTurn);
    assertThat(twice.replayNotes()).isEmpty();
  }

  private static ReleaseScenario assertSameAsStraight(Consumer<ReleaseScenario> rollout, Consumer<ReleaseScenario> restarts) {
    ReleaseScenario straight = ReleaseScenario.standard();
    rollout.accept(straight);
    ReleaseScenario restarted = ReleaseScenario.standard();
    restarts.accept(restarted);
    rollout.accept(restarted);

    assertThat(restarted.evaluations()).hasSameSizeAs(straight.evaluations());
    assertThat(restarted.evaluations()).extracting(e -> e.context().at() + " " + e.context().stage())
        .containsExactlyElementsOf(straight.evaluations().stream().map(e -> e.context().at() + " " + e.context().stage()).toList());
    assertThat(restarted.events()).containsExactlyElementsOf(straight.events());
    assertThat(JSON.asJson(restarted.status())).isEqualTo(JSON.asJson(straight.status()));
    assertThat(restarted.now()).isEqualTo(straight.now());
    // The scenario is not trivial: these would catch a replayed stage or a double-counted evaluation.
    assertThat(straight.reasons()).contains("StageCompleted", "Promoted");
    assertThat(straight.events().stream().filter(n -> n.reason().equals("StageStarted")).map(Note::message))
        .as("each stage of each canary starts once").doesNotHaveDuplicates();
    return restarted;
  }

  @Test
  @DisplayName("given a stage that just completed, when the operator restarts and plans again from the stored status, then the completed stage is not replayed")
  void completedStageIsNotReplayed() {
    ReleaseScenario s = ReleaseScenario.standard().restartEveryTurn().replanEveryTurn();
    s.deployFirstRevision();
    s.changeTemplate("registry.example/web:2.0");
    s.runUntil(x -> x.reasons().contains("StageCompleted"), Duration.ofMinutes(5));

    assertThat(s.status().getCurrentStage().getName()).isEqualTo("canary-50");
    assertThat(s.replayNotes()).isEmpty();
    assertThat(s.reasons().stream().filter("StageStarted"::equals)).hasSize(2);
  }

  @Test
  @DisplayName("given a Release and an observation, when planned, then the Release given to the planner is not modified")
  void planDoesNotMutateItsInput() {
    ReleaseScenario s = ReleaseScenario.standard();
    s.deployFirstRevision();
    s.changeTemplate("registry.example/web:2.0");
    s.turn();
    s.turnAfter(STEP);
    String before = JSON.asJson(s.release());

    new ReleasePlanner().plan(s.release(), new ReleaseObservation(2, s.revision(), Map.of(), "abort",
        Map.of(ERROR_RATE, CheckOutcome.fail(1, "bad"))), s.now().plusSeconds(40));

    assertThat(JSON.asJson(s.release())).isEqualTo(before);
  }

  @Test
  @DisplayName("given a check evaluated in this turn, when dueChecks is asked again before its interval, then it is not due; at its interval it is")
  void dueChecksRespectsLastEvaluation() {
    ReleaseScenario s = ReleaseScenario.standard();
    s.deployFirstRevision();
    s.changeTemplate("registry.example/web:2.0");
    s.turn();
    s.turnAfter(STEP);
    s.turnAfter(STEP);
    assertThat(s.evaluations()).hasSize(1);
    ReleasePlanner planner = new ReleasePlanner();

    assertThat(planner.dueChecks(s.release(), s.now())).isEmpty();
    assertThat(planner.dueChecks(s.release(), s.now().plusSeconds(29))).isEmpty();
    assertThat(planner.dueChecks(s.release(), s.now().plusSeconds(30))).extracting(c -> c.getName())
        .containsExactly(ERROR_RATE);
  }

  @Test
  @DisplayName("given a canary whose pods are not ready yet, when dueChecks is asked, then no check is due (there is nothing to measure)")
  void noChecksBeforePodsAreReady() {
    ReleaseScenario s = ReleaseScenario.standard();
    s.deployFirstRevision();
    s.changeTemplate("registry.example/web:2.0");
    s.turn();

    assertThat(new ReleasePlanner().dueChecks(s.release(), s.now().plusSeconds(60))).isEmpty();
  }

  @Test
  @DisplayName("given a full rollout, when every requeue is inspected, then none is zero or negative, none exceeds 30 s while a canary runs, and an idle Release is looked at every few minutes")
  void requeueTimes() {
    ReleaseScenario s = ReleaseScenario.standard();
    eventfulRollout(s);
    ReleaseScenario failing = ReleaseScenario.standard();
    failingRollout(failing);

    for (ReleaseScenario run : List.of(s, failing)) {
      for (ReleasePlan plan : run.plans()) {
        assertThat(plan.requeueAfter()).isPositive();
        if (plan.status().getCanaryRevision() != null) {
          assertThat(plan.requeueAfter()).isLessThanOrEqualTo(Duration.ofSeconds(30));
        } else {
          assertThat(plan.requeueAfter()).isLessThanOrEqualTo(Duration.ofMinutes(5));
        }
      }
    }
    assertThat(s.lastPlan().requeueAfter()).as("idle, promoted").isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  @DisplayName("given turns only when the planner asks (or when a Deployment it changed reports), when a canary with checks every 30 s runs, then it is promoted on time, in few turns, with every check evaluated at its interval")
  void requeueTimesAloneCarryARollout() {
    ReleaseScenario s = ReleaseScenario.standard();
    s.deployFirstRevision();
    s.changeTemplate("registry.example/web:2.0");
    s.turn();
    var started = s.now();

    int turns = s.runByRequeue(x -> x.status().getPhase() == ReleasePhase.Promoted, Duration.ofSeconds(3),
        Duration.ofMinutes(15));

    // Two stages of 2 minutes; the 100% stage needs its pods, the stable drained and one Pass.
    assertThat(Duration.between(started, s.now())).isLessThan(Duration.ofMinutes(6));
    assertThat(turns).isLessThan(40);
    var times = s.evaluations().stream().map(e -> e.context()).toList();
    for (int i = 1; i < times.size(); i++) {
      if (times.get(i).stage().equals(times.get(i - 1).stage())) {
        assertThat(Duration.between(times.get(i - 1).at(), times.get(i).at()))
            .as("interval between evaluations in " + times.get(i).stage()).isEqualTo(Duration.ofSeconds(30));
      }
    }
  }

  @Test
  @DisplayName("given a paused Release with a check every 10 s, when turns come only when the planner asks, then checks keep running at their interval")
  void checksKeepTheirIntervalWhilePaused() {
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> spec.getChecks().get(0).setInterval("10s"));
    s.deployFirstRevision();
    s.changeTemplate("registry.example/web:2.0");
    s.turn();
    s.turnAfter(STEP);
    s.edit(spec -> spec.setPaused(true));
    s.turnAfter(STEP);
    int before = s.evaluations().size();
    var from = s.now();

    s.runByRequeue(x -> Duration.between(from, x.now()).compareTo(Duration.ofMinutes(5)) >= 0, Duration.ofSeconds(3),
        Duration.ofMinutes(6));

    assertThat(s.evaluations().size() - before).as("about one per 10 s over 5 minutes").isGreaterThanOrEqualTo(28);
  }

  @Test
  @DisplayName("given a canary that just became ready with no check evaluated yet, when planned, then it asks to be called back soon (well under a second) to evaluate them")
  void requeueSoonForFirstEvaluation() {
    ReleaseScenario s = ReleaseScenario.standard();
    s.deployFirstRevision();
    s.changeTemplate("registry.example/web:2.0");
    s.turn();
    ReleasePlan ready = s.turnAfter(STEP);

    assertThat(ready.requeueAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  @DisplayName("given a stage waiting for its duration with a check every 10 s, when planned right after an evaluation, then it asks to be called back at the next evaluation")
  void requeueAtTheNextEvaluation() {
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> spec.getChecks().get(0).setInterval("10s"));
    s.deployFirstRevision();
    s.changeTemplate("registry.example/web:2.0");
    s.turn();
    s.turnAfter(STEP);
    ReleasePlan evaluated = s.turnAfter(STEP);

    assertThat(s.evaluations()).hasSize(1);
    assertThat(evaluated.requeueAfter()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  @DisplayName("given a stage whose duration ends before the next check, when planned, then it asks to be called back when the duration ends")
  void requeueAtTheEndOfTheDuration() {
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> spec.getStages().get(0).setDuration("20s"));
    s.deployFirstRevision();
    s.changeTemplate("registry.example/web:2.0");
    s.turn();
    s.turnAfter(STEP);
    ReleasePlan evaluated = s.turnAfter(Duration.ofSeconds(2));

    assertThat(s.evaluations()).hasSize(1);
    assertThat(evaluated.requeueAfter()).isEqualTo(Duration.ofSeconds(18));
  }

  @Test
  @DisplayName("given canary pods that are not ready, when planned, then it looks again within 30 s, not only at the progress deadline")
  void requeueWhileWaitingForPods() {
    ReleaseScenario s = ReleaseScenario.standard();
    s.deployFirstRevision();
    String canary = s.changeTemplate("registry.example/web:2.0");
    s.holdReady(canary, 0);
    s.turn();
    ReleasePlan waiting = s.turnAfter(STEP);

    assertThat(waiting.requeueAfter()).isEqualTo(Duration.ofSeconds(30));
    assertThat(waiting.notes()).extracting(Note::reason).isEmpty();
  }
}
