package dev.stagegate.release;

import dev.stagegate.release.plan.ReleasePlan;
import dev.stagegate.release.plan.ReleaseValidator;
import static dev.stagegate.release.ReleaseScenario.STEP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.release.BaselineCompare;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.common.PrometheusSource;
import dev.stagegate.api.release.ReleaseAnalysis;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseSpec;
import dev.stagegate.api.common.SecretRef;
import dev.stagegate.api.release.SequentialCheck;
import dev.stagegate.api.release.SequentialLatencyCheck;
import dev.stagegate.api.release.GatewayApiTraffic;
import dev.stagegate.api.release.Stage;
import dev.stagegate.api.release.StageMatch;
import dev.stagegate.api.release.TrafficRouting;
import dev.stagegate.common.Conditions;
import dev.stagegate.common.Note;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirementBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReleaseValidatorTest {

  static Stream<Arguments> invalidSpecs() {
    return Stream.of(
        bad("replicas 0", s -> s.setReplicas(0), "spec.replicas"),
        bad("no template", s -> s.setTemplate(null), "spec.template"),
        bad("maxSurge 0", s -> s.setMaxSurge(new io.fabric8.kubernetes.api.model.IntOrString(0)), "spec.maxSurge"),
        bad("maxSurge 'lots'", s -> s.setMaxSurge(new io.fabric8.kubernetes.api.model.IntOrString("lots")), "spec.maxSurge"),
        bad("maxSurge '0%'", s -> s.setMaxSurge(new io.fabric8.kubernetes.api.model.IntOrString("0%")), "spec.maxSurge"),
        bad("no selector", s -> s.setSelector(null), "spec.selector"),
        bad("a selector that does not match the template labels",
            s -> s.setSelector(new LabelSelectorBuilder().addToMatchLabels("app", "api").build()), "spec.selector.matchLabels"),
        bad("a selector with matchExpressions", s -> s.getSelector().setMatchExpressions(List.of(
            new LabelSelectorRequirementBuilder().withKey("app").withOperator("Exists").build())),
            "spec.selector.matchExpressions"),
        bad("progressDeadline '5 minutes'", s -> s.setProgressDeadline("5 minutes"), "spec.progressDeadline"),
        bad("no stages", s -> s.setStages(new ArrayList<>()), "spec.stages"),
        bad("weights not increasing (50, 10, 100)", s -> stages(s, stage("a", 50), stage("b", 10), stage("c", 100)),
            "spec.stages[1].weight"),
        bad("equal weights (10, 10, 100)", s -> stages(s, stage("a", 10), stage("b", 10), stage("c", 100)),
            "spec.stages[1].weight"),
        bad("weight 0", s -> stages(s, stage("a", 0), stage("b", 100)), "spec.stages[0].weight"),
        bad("weight 0 with header matches but no trafficRouting", s -> stages(s, headerOnly("a"), stage("b", 100)),
            "spec.stages[0].weight"),
        bad("weight 0 routed but without header matches", s -> {
          routed(s);
          stages(s, stage("a", 0), stage("b", 100));
        }, "spec.stages[0].weight"),
        bad("weight 0 by cookie but no trafficRouting", s -> stages(s, cookieOnly("a"), stage("b", 100)),
            "spec.stages[0].weight"),
        bad("two cookies in one stage", s -> {
          routed(s);
          Stage two = cookieOnly("a");
          two.getMatch().getCookies().add(new StageMatch.HeaderValue("beta", "1"));
          stages(s, two, stage("b", 100));
        }, "spec.stages[0].match.cookies"),
        bad("a cookie value with a space", s -> {
          routed(s);
          Stage spaced = cookieOnly("a");
          spaced.getMatch().getCookies().get(0).setValue("al ways");
          stages(s, spaced, stage("b", 100));
        }, "spec.stages[0].match.cookies[0].value"),
        bad("two header-only stages", s -> {
          routed(s);
          stages(s, headerOnly("a"), headerOnly("b"), stage("c", 100));
        }, "spec.stages[1].weight"),
        bad("weight 101", s -> stages(s, stage("a", 10), stage("b", 101)), "spec.stages[1].weight"),
        bad("no weight", s -> stages(s, new Stage(), stage("b", 100)), "spec.stages[0].weight"),
        bad("last stage not 100", s -> stages(s, stage("a", 10), stage("b", 90)), "spec.stages[1].weight"),
        bad("stage duration '5 minutes'", s -> s.getStages().get(0).setDuration("5 minutes"), "spec.stages[0].duration"),
        bad("stage name not a DNS label", s -> s.getStages().get(0).setName("Canary_10"), "spec.stages[0].name"),
        bad("two stages with one name", s -> s.getStages().get(1).setName("canary-10"), "spec.stages[1].name"),
        bad("a check with neither min nor max", s -> s.getChecks().get(0).setMax(null), "spec.checks[0]"),
        bad("an empty query", s -> s.getChecks().get(0).getPrometheus().setQuery(""), "spec.checks[0].prometheus.query"),
        bad("a blank query", s -> s.getChecks().get(0).getPrometheus().setQuery("  "), "spec.checks[0].prometheus.query"),
        bad("a query timeout '10 s'", s -> s.getChecks().get(0).getPrometheus().setTimeout("10 s"),
            "spec.checks[0].prometheus.timeout"),
        bad("a check interval 'often'", s -> s.getChecks().get(0).setInterval("often"), "spec.checks[0].interval"),
        bad("failureLimit 0", s -> s.getChecks().get(0).setFailureLimit(0), "spec.checks[0].failureLimit"),
        bad("min above max", s -> s.getChecks().get(0).setMin(0.5), "spec.checks[0].min"),
        bad("a check name not a DNS label", s -> s.getChecks().get(0).setName("Error Rate"), "spec.checks[0].name"),
        bad("two checks with one name", s -> s.getChecks().add(ReleaseScenario.check(ReleaseScenario.ERROR_RATE, 1)),
            "spec.checks[1].name"),
        bad("a check with both prometheus and sequential", s -> s.getChecks().get(0).setSequential(sequential("e", "r")),
            "spec.checks[0]"),
        bad("a compare without maxIncrease or maxDelta", s -> s.getChecks().get(0).setCompare(new BaselineCompare()),
            "spec.checks[0].compare"),
        bad("a sequential check with an empty errors query", s -> s.getChecks().set(0, sequentialCheck("", "requests")),
            "spec.checks[0].sequential.errors"),
        bad("a sequential errors query over rate() windows",
            s -> s.getChecks().set(0, sequentialCheck("sum(rate(http_requests_total{code=\"500\"}[5m]))", "requests")),
            "spec.checks[0].sequential.errors"),
        bad("a sequential requests query over increase() windows",
            s -> s.getChecks().set(0, sequentialCheck("errors", "sum(increase(http_requests_total[5m]))")),
            "spec.checks[0].sequential.requests"),
        bad("a sequential errors query with irate()",
            s -> s.getChecks().set(0, sequentialCheck("sum(irate(http_requests_total{code=\"500\"}[1m]))", "requests")),
            "spec.checks[0].sequential.errors"),
        bad("a sequential errors query with a zero fallback",
            s -> s.getChecks().set(0, sequentialCheck("sum(http_errors_total) or vector(0)", "requests")),
            "spec.checks[0].sequential.errors"),
        bad("a sequential check with min", s -> {
          Check c = sequentialCheck("errors", "requests");
          c.setMin(0.0);
          s.getChecks().set(0, c);
        }, "spec.checks[0]"),
        bad("a sequential falsePromotionRate of 0.9 (beta above 0.5)", s -> {
          Check c = sequentialCheck("errors", "requests");
          c.getSequential().setFalsePromotionRate(0.9);
          s.getChecks().set(0, c);
        }, "spec.checks[0].sequential.falsePromotionRate"),
        bad("a sequential falsePromotionRate of 0", s -> {
          Check c = sequentialCheck("errors", "requests");
          c.getSequential().setFalsePromotionRate(0.0);
          s.getChecks().set(0, c);
        }, "spec.checks[0].sequential.falsePromotionRate"),
        bad("a Release-level falseRollbackRate of 0.7", s -> s.setAnalysis(analysis(0.7)),
            "spec.analysis.falseRollbackRate"),
        bad("checks' own falseRollbackRates adding up to more than the Release's", s -> {
          s.setChecks(new ArrayList<>(List.of(budgeted("a", 0.01), budgeted("b", 0.01))));
          s.setAnalysis(analysis(0.015));
        }, "spec.analysis.falseRollbackRate"),
        bad("a check's own falseRollbackRate leaving nothing of the Release's for another check", s -> {
          s.setChecks(new ArrayList<>(List.of(budgeted("a", 0.01), budgeted("b", null))));
          s.setAnalysis(analysis(0.01));
        }, "spec.analysis.falseRollbackRate"),
        bad("a check with both sequential and sequentialLatency", s -> {
          Check c = sequentialCheck("errors", "requests");
          c.setSequentialLatency(latency("0.5"));
          s.getChecks().set(0, c);
        }, "spec.checks[0]"),
        bad("a sequentialLatency bucket query without {{le}}", s -> latencyCheck(s, "0.5")
            .getSequentialLatency().setBucket("sum(http_request_duration_seconds_bucket{le=\"0.5\"})"),
            "spec.checks[0].sequentialLatency.bucket"),
        bad("a sequentialLatency bucket query over rate() windows", s -> latencyCheck(s, "0.5").getSequentialLatency()
            .setBucket("sum(rate(http_request_duration_seconds_bucket{le=\"{{le}}\"}[5m]))"),
            "spec.checks[0].sequentialLatency.bucket"),
        bad("a sequentialLatency count query over increase() windows", s -> latencyCheck(s, "0.5").getSequentialLatency()
            .setCount("sum(increase(http_request_duration_seconds_count[5m]))"),
            "spec.checks[0].sequentialLatency.count"),
        bad("a sequentialLatency without buckets", s -> latencyCheck(s), "spec.checks[0].sequentialLatency.slowerThan"),
        bad("a sequentialLatency bucket +Inf (nothing is slower)", s -> latencyCheck(s, "0.5", "+Inf"),
            "spec.checks[0].sequentialLatency.slowerThan[1]"),
        bad("a sequentialLatency bucket listed twice", s -> latencyCheck(s, "0.5", "0.50"),
            "spec.checks[0].sequentialLatency.slowerThan[1]"),
        bad("a sequentialLatency falsePromotionRate of 0.6", s -> latencyCheck(s, "0.5").getSequentialLatency()
            .setFalsePromotionRate(0.6), "spec.checks[0].sequentialLatency.falsePromotionRate"),
        bad("a Prometheus URL without scheme", s -> s.setPrometheus(new PrometheusSource("prometheus:9090", null)),
            "spec.prometheus.url"),
        // the review's findings: each passed the old checks and then looped, froze or threw on every turn
        bad("a check interval 0s (a tight query loop)", s -> s.getChecks().get(0).setInterval("0s"), "spec.checks[0].interval"),
        bad("a check interval 2h", s -> s.getChecks().get(0).setInterval("2h"), "spec.checks[0].interval"),
        bad("a stage duration 9999999h (never ends)", s -> s.getStages().get(0).setDuration("9999999h"),
            "spec.stages[0].duration"),
        bad("a stage duration too large for a long", s -> s.getStages().get(0).setDuration("99999999999999999999h"),
            "spec.stages[0].duration"),
        bad("a stage duration -5m", s -> s.getStages().get(0).setDuration("-5m"), "spec.stages[0].duration"),
        bad("progressDeadline 0s", s -> s.setProgressDeadline("0s"), "spec.progressDeadline"),
        bad("progressDeadline 48h", s -> s.setProgressDeadline("48h"), "spec.progressDeadline"),
        bad("a query timeout 0s", s -> s.getChecks().get(0).getPrometheus().setTimeout("0s"),
            "spec.checks[0].prometheus.timeout"),
        bad("a query timeout 1h", s -> s.getChecks().get(0).getPrometheus().setTimeout("1h"),
            "spec.checks[0].prometheus.timeout"),
        bad("a Prometheus URL without host (http://:9090)", s -> s.setPrometheus(new PrometheusSource("http://:9090", null)),
            "spec.prometheus.url"),
        bad("a Prometheus URL with a trailing space", s -> s.setPrometheus(new PrometheusSource("http://prometheus:9090 ", null)),
            "spec.prometheus.url"),
        bad("a Prometheus URL with a space inside", s -> s.setPrometheus(new PrometheusSource("http://prom etheus:9090", null)),
            "spec.prometheus.url"),
        bad("a Prometheus URL with credentials", s -> s.setPrometheus(new PrometheusSource("http://admin:pw@prometheus:9090", null)),
            "spec.prometheus.url"),
        bad("a Prometheus URL with a query", s -> s.setPrometheus(new PrometheusSource("http://prometheus:9090/?x=1", null)),
            "spec.prometheus.url"),
        bad("a Prometheus URL with a bad port", s -> s.setPrometheus(new PrometheusSource("http://prometheus:90x0", null)),
            "spec.prometheus.url"),
        bad("a secretRef to another namespace", s -> {
          SecretRef ref = new SecretRef("prom-token");
          ref.setNamespace("kube-system");
          s.setPrometheus(new PrometheusSource("http://prometheus:9090", ref));
        }, "spec.prometheus.secretRef.namespace"),
        bad("trafficRouting without gatewayAPI", s -> s.setTrafficRouting(new TrafficRouting()),
            "spec.trafficRouting.gatewayAPI"),
        bad("a routed port 0", s -> routed(s).setPort(0), "spec.trafficRouting.gatewayAPI.port"),
        bad("an HTTPRoute name with capitals", s -> routed(s).setHttpRoute("Shop"),
            "spec.trafficRouting.gatewayAPI.httpRoute"),
        bad("one Service for stable and canary", s -> routed(s).setCanaryService("web-stable"),
            "spec.trafficRouting.gatewayAPI.canaryService"),
        bad("no canary Service", s -> routed(s).setCanaryService(null), "spec.trafficRouting.gatewayAPI.canaryService"),
        bad("a scaleDownDelay 'soon'", s -> routed(s).setScaleDownDelay("soon"),
            "spec.trafficRouting.gatewayAPI.scaleDownDelay"),
        bad("a scaleDownDelay of 2h", s -> routed(s).setScaleDownDelay("2h"),
            "spec.trafficRouting.gatewayAPI.scaleDownDelay"),
        bad("a grpcRoute that is not a DNS name", s -> routed(s).setGrpcRoute("Shop_gRPC"),
            "spec.trafficRouting.gatewayAPI.grpcRoute"),
        bad("a header match without trafficRouting", s -> s.getStages().get(0).setMatch(
            new StageMatch(List.of(new StageMatch.HeaderValue("x-canary", "true")))), "spec.stages[0].match"),
        bad("a header name with a space", s -> {
          routed(s);
          s.getStages().get(0).setMatch(new StageMatch(List.of(new StageMatch.HeaderValue("x canary", "true"))));
        }, "spec.stages[0].match.headers[0].name"),
        bad("a secretRef without name", s -> s.setPrometheus(new PrometheusSource("http://prometheus:9090", new SecretRef())),
            "spec.prometheus.secretRef.name"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidSpecs")
  @DisplayName("given a new Release with an invalid spec, when reconciled, then phase Failed, Stalled with reason InvalidSpec, a message naming the field, a Warning, and nothing deployed")
  void invalidSpecDeploysNothing(String description, Consumer<ReleaseSpec> breakIt, String field) {
    ReleaseScenario s = ReleaseScenario.standard().edit(breakIt);

    ReleasePlan plan = s.turn();

    assertThat(plan.changes()).isEmpty();
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Failed);
    assertThat(s.status().getMessage()).contains(field + ":");
    assertThat(s.status().getStableRevision()).isNull();
    assertThat(s.condition(Conditions.STALLED).getStatus()).isEqualTo("True");
    assertThat(s.condition(Conditions.STALLED).getReason()).isEqualTo("InvalidSpec");
    assertThat(s.condition(Conditions.STALLED).getMessage()).contains(field + ":");
    assertThat(s.condition(Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(plan.notes()).singleElement().satisfies(n -> {
      assertThat(n.type()).isEqualTo(Note.Type.Warning);
      assertThat(n.reason()).isEqualTo("InvalidSpec");
    });
    assertThat(plan.actionConsumed()).isFalse();
    assertThat(ReleaseValidator.validate(s.release())).anySatisfy(e -> assertThat(e).startsWith(field + ":"));
  }

  @Test
  @DisplayName("given a valid sequential latency check beside a sequential errors check under a Release-level budget, when validated, then there are no errors")
  void sequentialLatencyIsValid() {
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> {
      latencyCheck(spec, "0.25", "1");
      Check errors = sequentialCheck("sum(errors_total)", "sum(requests_total)");
      errors.setName("errors");
      spec.getChecks().add(errors);
      spec.setAnalysis(analysis(0.01));
    });

    assertThat(ReleaseValidator.validate(s.release())).isEmpty();
  }

  @Test
  @DisplayName("given a Release name of 64 characters, when validated, then metadata.name is refused (it is a label value); 63 is fine")
  void nameTooLongForALabelValue() {
    var release = ReleaseScenario.standard().release();
    release.getMetadata().setName("a".repeat(64));
    assertThat(ReleaseValidator.validate(release)).singleElement().asString()
        .startsWith("metadata.name: at most 63 characters").contains("got 64");
    release.getMetadata().setName("a".repeat(63));
    assertThat(ReleaseValidator.validate(release)).isEmpty();
  }

  @Test
  @DisplayName("given the standard spec, when validated, then there are no errors")
  void standardSpecIsValid() {
    assertThat(ReleaseValidator.validate(ReleaseScenario.standard().release())).isEmpty();
  }

  @Test
  @DisplayName("given a routed spec whose first stage has weight 0 and a header match, when validated, then there are no errors")
  void headerOnlyStageIsValidWhenRouted() {
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> {
      routed(spec);
      stages(spec, headerOnly("by-header"), stage("canary-5", 5), stage("full", 100));
    });

    assertThat(ReleaseValidator.validate(s.release())).isEmpty();
  }

  @Test
  @DisplayName("given a routed spec whose first stage has weight 0 and only a cookie match, when validated, then there are no errors and the stage routes by the Cookie header")
  void cookieOnlyStageIsValidWhenRouted() {
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> {
      routed(spec);
      stages(spec, cookieOnly("by-cookie"), stage("canary-5", 5), stage("full", 100));
    });

    assertThat(ReleaseValidator.validate(s.release())).isEmpty();
    assertThat(dev.stagegate.release.plan.RouteSpecs.step(s.release().getSpec().getStages().get(0)).headerMatches())
        .extracting(h -> h.type() + " " + h.name()).containsExactly("RegularExpression Cookie");
  }

  @Test
  @DisplayName("given a spec with several mistakes, when validated, then each is reported with its own field")
  void everyMistakeIsReported() {
    ReleaseScenario s = ReleaseScenario.standard().edit(spec -> {
      spec.setReplicas(0);
      spec.getStages().get(0).setDuration("5 minutes");
      spec.getChecks().get(0).getPrometheus().setQuery("");
    });

    assertThat(ReleaseValidator.validate(s.release())).hasSize(3);
  }

  @Test
  @DisplayName("given a canary at 50%, when the spec becomes invalid, then nothing is changed (no Events besides one InvalidSpec, no checks), and once fixed the canary continues where it was")
  void invalidSpecDuringCanaryThenFixed() {
    ReleaseScenario s = ReleaseScenario.standard();
    String stable = s.deployFirstRevision();
    String canary = s.changeTemplate("registry.example/web:2.0");
    s.runUntil(x -> x.inStage("canary-50"), Duration.ofMinutes(5));
    s.turnAfter(STEP);
    int mark = s.mark();
    int evaluations = s.evaluations().size();

    s.edit(spec -> spec.getStages().get(2).setWeight(90));
    s.runFor(Duration.ofMinutes(2));

    assertThat(s.plans().get(s.plans().size() - 1).changes()).isEmpty();
    assertThat(s.reasonsSince(mark)).containsExactly("InvalidSpec");
    assertThat(s.evaluations()).hasSize(evaluations);
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Failed);
    assertThat(s.replicas(canary)).isEqualTo(10);
    assertThat(s.replicas(stable)).isEqualTo(10);
    assertThat(s.lastPlan().requeueAfter()).isPositive();

    int fixed = s.mark();
    s.edit(spec -> spec.getStages().get(2).setWeight(100));
    s.turnAfter(STEP);
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Progressing);
    assertThat(s.status().getCurrentStage().getName()).isEqualTo("canary-50");
    assertThat(s.condition(Conditions.STALLED).getStatus()).isEqualTo("False");
    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(10));
    assertThat(s.reasonsSince(fixed)).containsExactly("StageCompleted", "StageStarted", "StageCompleted", "Promoted");
  }

  private static Arguments bad(String description, Consumer<ReleaseSpec> change, String field) {
    return Arguments.of(description, change, field);
  }

  private static Stage stage(String name, int weight) {
    return new Stage(name, weight, null, null);
  }

  /** Weight 0, reaching the canary only with x-canary: true. */
  private static Stage headerOnly(String name) {
    Stage stage = stage(name, 0);
    stage.setMatch(new StageMatch(List.of(new StageMatch.HeaderValue("x-canary", "true"))));
    return stage;
  }

  /** Weight 0, reaching the canary only with the cookie canary=always. */
  private static Stage cookieOnly(String name) {
    Stage stage = stage(name, 0);
    StageMatch match = new StageMatch();
    match.setCookies(new ArrayList<>(List.of(new StageMatch.HeaderValue("canary", "always"))));
    stage.setMatch(match);
    return stage;
  }

  /** Gives the spec a valid trafficRouting and returns its gatewayAPI to break. */
  private static GatewayApiTraffic routed(ReleaseSpec spec) {
    GatewayApiTraffic g = new GatewayApiTraffic();
    g.setHttpRoute("shop");
    g.setStableService("web-stable");
    g.setCanaryService("web-canary");
    g.setPort(80);
    spec.setTrafficRouting(new TrafficRouting(g));
    return g;
  }

  private static void stages(ReleaseSpec spec, Stage... stages) {
    spec.setStages(new ArrayList<>(List.of(stages)));
  }

  private static SequentialCheck sequential(String errors, String requests) {
    SequentialCheck seq = new SequentialCheck();
    seq.setErrors(errors);
    seq.setRequests(requests);
    return seq;
  }

  private static Check budgeted(String name, Double falseRollbackRate) {
    Check check = sequentialCheck("sum(errors_total)", "sum(requests_total)");
    check.setName(name);
    check.getSequential().setFalseRollbackRate(falseRollbackRate);
    return check;
  }

  private static SequentialLatencyCheck latency(String... les) {
    SequentialLatencyCheck latency = new SequentialLatencyCheck();
    latency.setBucket("sum(http_request_duration_seconds_bucket{revision=\"{{revision}}\",le=\"{{le}}\"})");
    latency.setCount("sum(http_request_duration_seconds_count{revision=\"{{revision}}\"})");
    latency.setSlowerThan(new ArrayList<>(List.of(les)));
    return latency;
  }

  /** Replaces the spec's first check with a valid sequential latency check and returns it to break. */
  private static Check latencyCheck(ReleaseSpec spec, String... les) {
    Check check = new Check();
    check.setName(ReleaseScenario.ERROR_RATE);
    check.setSequentialLatency(latency(les));
    spec.getChecks().set(0, check);
    return check;
  }

  private static ReleaseAnalysis analysis(double falseRollbackRate) {
    ReleaseAnalysis analysis = new ReleaseAnalysis();
    analysis.setFalseRollbackRate(falseRollbackRate);
    return analysis;
  }

  private static Check sequentialCheck(String errors, String requests) {
    Check check = new Check();
    check.setName(ReleaseScenario.ERROR_RATE);
    check.setSequential(sequential(errors, requests));
    return check;
  }
}
