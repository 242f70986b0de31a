package dev.stagegate.release;

import static dev.stagegate.release.ReleaseScenario.ERROR_RATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.Stage;
import dev.stagegate.api.release.StageMatch;
import dev.stagegate.release.ReleaseScenario.RouteTurn;
import dev.stagegate.release.plan.ReleasePlan;
import dev.stagegate.release.plan.WorkloadChange;
import dev.stagegate.routing.BackendWeights;
import dev.stagegate.routing.RouteAcceptance;
import dev.stagegate.routing.TrafficStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The planner with {@code spec.trafficRouting}: pods follow the route's share, and traffic leaves before pods go. */
class ReleaseTrafficRoutingTest {
  private static final String V2 = "registry.example/web:2.0";
  private static final Duration DELAY = Duration.ofSeconds(30);
  private static final BackendWeights FIVE_PERCENT = new BackendWeights(19, 1);

  /** 10 replicas through an HTTPRoute, stages 5% (1m), 50% (1m), 100%. */
  private static ReleaseScenario routed() {
    return ReleaseScenario.standard().routed(DELAY).edit(spec -> spec.setStages(new ArrayList<>(List.of(
        new Stage("canary-5", 5, "1m", null),
        new Stage("canary-50", 50, "1m", null),
        new Stage("full", 100, null, null)))));
  }

  @Test
  @DisplayName("given a routed Release, when its canary reaches the 5% stage, then it runs 1 pod beside 10 stable, the route holds 19/1 and the status shows requested and written weights")
  void fivePercentNeedsOnePod() {
    ReleaseScenario s = routed();
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);

    s.runUntil(x -> x.status().getCurrentStage().getReadyAt() != null, Duration.ofMinutes(1));

    assertThat(s.inStage("canary-5")).isTrue();
    assertThat(s.replicas(canary)).isEqualTo(1);
    assertThat(s.replicas(stable)).isEqualTo(10);
    assertThat(s.routeWeights()).isEqualTo(FIVE_PERCENT);
    assertThat(s.status().getTrafficRouting().getRequestedWeights()).isEqualTo("19/1");
    assertThat(s.status().getTrafficRouting().getRouteWeights()).isEqualTo("19/1");
    assertThat(s.status().getTrafficRouting().getRoute()).isEqualTo("Accepted");
    assertThat(s.status().getActualWeight()).isEqualTo(5);
    assertThat(s.lastPlan().route().canaryRevision()).isEqualTo(canary);
    assertThat(s.lastPlan().route().stableRevision()).isEqualTo(stable);
  }

  /** Like {@link #routed()}, with a first stage at weight 0 that reaches the canary only with x-canary: true. */
  private static ReleaseScenario headerFirst() {
    Stage byHeader = new Stage("by-header", 0, "1m", null);
    byHeader.setMatch(new StageMatch(List.of(new StageMatch.HeaderValue("x-canary", "true"))));
    return ReleaseScenario.standard().routed(DELAY).edit(spec -> spec.setStages(new ArrayList<>(List.of(
        byHeader,
        new Stage("canary-5", 5, "1m", null),
        new Stage("full", 100, null, null)))));
  }

  @Test
  @DisplayName("given a routed Release whose first stage has weight 0 and a header match, when its canary reaches it, then one canary pod runs, the route stays 1/0 with the header rule, the stage counts and its checks run")
  void headerOnlyStageRunsOnePodAndNoPublicTraffic() {
    ReleaseScenario s = headerFirst();
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);

    s.runUntil(x -> x.status().getCurrentStage().getReadyAt() != null, Duration.ofMinutes(1));

    assertThat(s.inStage("by-header")).isTrue();
    assertThat(s.replicas(canary)).isEqualTo(1);
    assertThat(s.replicas(stable)).isEqualTo(10);
    assertThat(s.routeWeights()).isEqualTo(BackendWeights.ALL_STABLE);
    assertThat(s.lastPlan().route().step()).hasValueSatisfying(step -> {
      assertThat(step.weights()).isEqualTo(BackendWeights.ALL_STABLE);
      assertThat(step.headerMatches()).extracting(h -> h.name() + "=" + h.value()).containsExactly("x-canary=true");
    });
    assertThat(s.status().getTrafficRouting().getHeaderRule()).isTrue();
    assertThat(s.status().getTrafficRouting().getRouteWeights()).isEqualTo("1/0");
    assertThat(s.status().getActualWeight()).isZero();
    assertThat(s.status().getRequestedWeight()).isZero();

    s.runUntil(x -> x.inStage("canary-5") && x.status().getCurrentStage().getReadyAt() != null,
        Duration.ofMinutes(3));

    assertThat(s.evaluations()).anySatisfy(e -> {
      assertThat(e.context().stage()).isEqualTo("by-header");
      assertThat(e.context().revision()).isEqualTo(canary);
    });
    assertThat(s.routeWeights()).isEqualTo(FIVE_PERCENT);
    assertThat(s.status().getTrafficRouting().getHeaderRule()).isFalse();
    assertThat(s.replicas(canary)).isEqualTo(1);
  }

  @Test
  @DisplayName("given a header-only stage whose check fails, when it is rolled back, then the header rule leaves the route before the canary's pod goes")
  void headerOnlyStageRollsBackLikeAnyOther() {
    ReleaseScenario s = headerFirst().script(ERROR_RATE, ReleaseScenario.failing());
    s.deployFirstRevision();
    String canary = s.changeTemplate(V2);

    s.runUntilPhase(ReleasePhase.RolledBack, Duration.ofMinutes(5));

    assertThat(s.lastPlan().route().step()).hasValue(TrafficStep.allStable());
    assertThat(s.replicas(canary)).isEqualTo(1);
    s.runUntil(x -> x.replicas(canary) == 0, Duration.ofMinutes(2));
    RouteTurn scaledDown = s.routeTurns().stream()
        .filter(t -> t.plan().changes().contains(new WorkloadChange.Scale(canary, 0))).findFirst().orElseThrow();
    assertThat(scaledDown.seen()).isEqualTo(BackendWeights.ALL_STABLE);
    assertThat(scaledDown.seenHeaderRule()).isFalse();
    assertThat(s.routeTurns().stream().filter(t -> t.at().isBefore(scaledDown.at())))
        .as("the header rule was in the route while the canary ran").anyMatch(RouteTurn::seenHeaderRule);
  }

  @Test
  @DisplayName("given a canary whose pod is not ready, when turns pass, then the route sends it nothing and the stage does not start counting; once the pod is ready the route goes to 19/1")
  void podsBeforeTraffic() {
    ReleaseScenario s = routed();
    s.deployFirstRevision();
    String canary = s.changeTemplate(V2);
    s.holdReady(canary, 0);

    s.runFor(Duration.ofMinutes(1));

    assertThat(s.routeTurns()).allSatisfy(t -> assertThat(t.plan().route().step())
        .hasValueSatisfying(step -> assertThat(step.weights()).isEqualTo(BackendWeights.ALL_STABLE)));
    assertThat(s.status().getCurrentStage().getReadyAt()).isNull();

    s.releaseReady(canary);
    s.runUntil(x -> x.status().getCurrentStage().getReadyAt() != null, Duration.ofMinutes(1));
    assertThat(s.routeWeights()).isEqualTo(FIVE_PERCENT);
  }

  @Test
  @DisplayName("given a canary at 5% whose check fails, when it is rolled back, then the route goes to 1/0 first and the canary keeps its pod until the route has shown weight 0 for scaleDownDelay")
  void rollbackMovesTrafficBeforePods() {
    ReleaseScenario s = routed().script(ERROR_RATE, ReleaseScenario.failing());
    s.deployFirstRevision();
    String canary = s.changeTemplate(V2);

    s.runUntilPhase(ReleasePhase.RolledBack, Duration.ofMinutes(5));
    ReleasePlan rollback = s.lastPlan();
    assertThat(rollback.route().step()).hasValue(TrafficStep.allStable());
    assertThat(rollback.changes()).doesNotContain(new WorkloadChange.Scale(canary, 0));
    assertThat(s.replicas(canary)).isEqualTo(1);

    s.runUntil(x -> x.replicas(canary) == 0, Duration.ofMinutes(2));

    RouteTurn firstSeenIdle = s.routeTurns().stream()
        .filter(t -> t.plan().status().getCanaryRevision() == null && t.seen().canary() == 0)
        .findFirst().orElseThrow();
    RouteTurn scaledDown = s.routeTurns().stream()
        .filter(t -> t.plan().changes().contains(new WorkloadChange.Scale(canary, 0))).findFirst().orElseThrow();
    assertThat(scaledDown.seen()).isEqualTo(BackendWeights.ALL_STABLE);
    assertThat(Duration.between(firstSeenIdle.at(), scaledDown.at())).isGreaterThanOrEqualTo(DELAY);
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.RolledBack);
  }

  @Test
  @DisplayName("given a canary at 100%, when it is promoted, then the stable Service points at it in the same write that returns the route to 1/0, and the old revision keeps its pods for scaleDownDelay after the route shows 1/0")
  void promotionPointsStableServiceFirst() {
    ReleaseScenario s = routed();
    String old = s.deployFirstRevision();
    String canary = s.changeTemplate(V2);

    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(10));
    ReleasePlan promotion = s.lastPlan();
    RouteTurn promoting = s.routeTurns().get(s.routeTurns().size() - 1);
    assertThat(promoting.seen()).isEqualTo(BackendWeights.ALL_CANARY);
    assertThat(promotion.route().stableRevision()).isEqualTo(canary);
    assertThat(promotion.route().step()).hasValue(TrafficStep.allStable());
    assertThat(s.replicas(old)).isEqualTo(10);

    s.runUntil(x -> !x.exists(old) || x.replicas(old) == 0, Duration.ofMinutes(2));
    RouteTurn gone = s.routeTurns().get(s.routeTurns().size() - 1);
    assertThat(Duration.between(promoting.at(), gone.at())).isGreaterThanOrEqualTo(DELAY);
    assertThat(s.routeTurns().subList(s.routeTurns().indexOf(promoting) + 1, s.routeTurns().size()))
        .allSatisfy(t -> assertThat(t.plan().route().stableRevision()).isEqualTo(canary));
  }

  @Test
  @DisplayName("given a gateway that refuses the route, when the canary waits, then its stage does not count and the status names the condition")
  void refusedRouteHoldsTheStage() {
    ReleaseScenario s = routed();
    s.deployFirstRevision();
    s.changeTemplate(V2);
    s.gatewayReports(new RouteAcceptance(RouteAcceptance.State.REFUSED,
        "gateway eg reports Accepted=False (NotAllowedByListeners): hostname not allowed"));

    s.runFor(Duration.ofMinutes(2));

    assertThat(s.status().getCurrentStage().getReadyAt()).isNull();
    assertThat(s.status().getTrafficRouting().getRoute()).isEqualTo("Refused");
    assertThat(s.status().getTrafficRouting().getMessage()).contains("Accepted=False (NotAllowedByListeners)");
  }

  @Test
  @DisplayName("given a Release without trafficRouting, when it runs a canary, then the plan writes no route and the status has no trafficRouting")
  void withoutRoutingNothingIsRouted() {
    ReleaseScenario s = ReleaseScenario.standard();
    s.deployFirstRevision();
    s.changeTemplate(V2);

    s.runFor(Duration.ofSeconds(30));

    assertThat(s.plans()).allSatisfy(p -> assertThat(p.route()).isNull());
    assertThat(s.status().getTrafficRouting()).isNull();
    assertThat(s.routeTurns()).isEmpty();
    assertThat(Optional.ofNullable(s.status().getActualWeight())).isPresent();
  }
}
