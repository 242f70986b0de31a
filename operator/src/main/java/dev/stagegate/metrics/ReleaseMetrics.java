package dev.stagegate.metrics;

import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.analysis.CheckEvaluator;
import dev.stagegate.analysis.CheckOutcome;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.common.Note;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-Release gauges and counters (`stagegate_release_*`, `stagegate_check_*`), so dashboards and
 * alerts see each rollout's phase, stage, weight and every check's value against its threshold.
 */
public final class ReleaseMetrics {
  private static final Set<String> METERS = Set.of("stagegate.release.phase", "stagegate.release.stage",
      "stagegate.release.weight", "stagegate.rollbacks", "stagegate.promotions", "stagegate.check.value",
      "stagegate.check.baseline", "stagegate.check.threshold", "stagegate.check.evaluations",
      "stagegate.check.template");

  private final MeterRegistry registry;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  public ReleaseMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void record(Release release, ReleaseStatus status, Map<String, CheckOutcome> outcomes, List<Note> notes) {
    String ns = release.getMetadata().getNamespace();
    String name = release.getMetadata().getName();
    Tags tags = Tags.of("namespace", ns, "name", name);
    State state = states.computeIfAbsent(ns + "/" + name, k -> register(tags));
    state.phase = status.getPhase();
    state.stage = status.getCurrentStage() == null ? -1 : status.getCurrentStage().getIndex();
    state.requested = status.getCanaryRevision() == null ? 0 : nz(status.getRequestedWeight());
    state.actual = status.getCanaryRevision() == null ? 0 : nz(status.getActualWeight());

    if (release.getSpec() != null && release.getSpec().getChecks() != null) {
      for (Check check : release.getSpec().getChecks()) {
        Tags checkTags = tags.and("check", check.getName());
        CheckGauges gauges = state.checks.computeIfAbsent(check.getName(), c -> registerCheck(checkTags));
        gauges.min = check.getMin() == null ? Double.NaN : check.getMin();
        CheckOutcome outcome = outcomes.get(check.getName());
        if (outcome != null) {
          gauges.value = outcome.value() == null ? Double.NaN : outcome.value();
          gauges.baseline = outcome.baseline() == null ? Double.NaN : outcome.baseline();
          evaluations(checkTags, outcome.result()).increment();
        }
        gauges.max = effectiveMax(check, gauges.baseline);
        templateInfo(checkTags, gauges, check);
      }
    }
    for (Note note : notes) {
      if (note.is(ReleaseReasons.Event.RolledBack)) {
        Counter.builder("stagegate.rollbacks").description("Canaries rolled back").tags(tags).register(registry).increment();
      } else if (note.is(ReleaseReasons.Event.Promoted)) {
        Counter.builder("stagegate.promotions").description("Canaries promoted").tags(tags).register(registry).increment();
      }
    }
  }

  /** The Release was deleted: its series go, so dashboards and alerts stop listing it. */
  public void forget(String namespace, String name) {
    states.remove(namespace + "/" + name);
    ResourceMeters.remove(registry, METERS, namespace, name);
  }

  private State register(Tags tags) {
    State state = new State();
    for (ReleasePhase phase : ReleasePhase.values()) {
      Gauge.builder("stagegate.release.phase", state, s -> s.phase == phase ? 1 : 0)
          .description("1 for the Release's current phase")
          .tags(tags.and("phase", phase.name())).register(registry);
    }
    Gauge.builder("stagegate.release.stage", state, s -> s.stage)
        .description("Index of the current stage, -1 when no canary runs").tags(tags).register(registry);
    Gauge.builder("stagegate.release.weight", state, s -> s.requested)
        .description("Canary weight in percent").tags(tags.and("kind", "requested")).register(registry);
    Gauge.builder("stagegate.release.weight", state, s -> s.actual)
        .description("Canary weight in percent").tags(tags.and("kind", "actual")).register(registry);
    // Counters exist from the start, so rate() and increase() see the first rollback too.
    Counter.builder("stagegate.rollbacks").description("Canaries rolled back").tags(tags).register(registry);
    Counter.builder("stagegate.promotions").description("Canaries promoted").tags(tags).register(registry);
    return state;
  }

  private CheckGauges registerCheck(Tags tags) {
    CheckGauges g = new CheckGauges();
    Gauge.builder("stagegate.check.value", g, x -> x.value).description("Last value of the check for the canary")
        .tags(tags).register(registry);
    Gauge.builder("stagegate.check.baseline", g, x -> x.baseline)
        .description("Last baseline value (stable revision) or test statistic").tags(tags).register(registry);
    Gauge.builder("stagegate.check.threshold", g, x -> x.max).description("Check bound")
        .tags(tags.and("bound", "max")).register(registry);
    Gauge.builder("stagegate.check.threshold", g, x -> x.min).description("Check bound")
        .tags(tags.and("bound", "min")).register(registry);
    // At zero from the start, so increase() counts a check's first evaluation of each result too.
    for (CheckResult result : CheckResult.values()) {
      evaluations(tags, result);
    }
    return g;
  }

  /**
   * stagegate_check_template{template="ClusterCheckTemplate/error-rate"} = 1 while the check comes from that
   * template: an info series, so the other check series keep their labels and a dashboard joins on `check`.
   */
  private void templateInfo(Tags checkTags, CheckGauges gauges, Check check) {
    String template = check.getTemplateRef() == null ? null : check.getTemplateRef().describe();
    if (java.util.Objects.equals(template, gauges.template)) {
      return;
    }
    if (gauges.templateMeter != null) {
      registry.remove(gauges.templateMeter);
      gauges.templateMeter = null;
    }
    gauges.template = template;
    if (template != null) {
      gauges.templateMeter = Gauge.builder("stagegate.check.template", () -> 1)
          .description("1 for the template a check comes from").tags(checkTags.and("template", template))
          .register(registry);
    }
  }

  /** The worst passing value: the fixed max, or the stable revision's limit when that is lower. */
  private static double effectiveMax(Check check, double baseline) {
    double max = check.getMax() == null ? Double.NaN : check.getMax();
    if (check.getCompare() == null || check.getSequential() != null || !Double.isFinite(baseline)) {
      return max;
    }
    double limit = CheckEvaluator.comparisonFor(check.getCompare()).limit(baseline);
    return Double.isNaN(max) ? limit : Math.min(max, limit);
  }

  private Counter evaluations(Tags checkTags, CheckResult result) {
    return Counter.builder("stagegate.check.evaluations").description("Check evaluations by result")
        .tags(checkTags.and("result", result.name())).register(registry);
  }

  private static int nz(Integer value) {
    return value == null ? 0 : value;
  }

  private static final class State {
    volatile ReleasePhase phase;
    volatile int stage = -1;
    volatile int requested;
    volatile int actual;
    final Map<String, CheckGauges> checks = new ConcurrentHashMap<>();
  }

  private static final class CheckGauges {
    volatile double value = Double.NaN;
    volatile double baseline = Double.NaN;
    volatile double max = Double.NaN;
    volatile double min = Double.NaN;
    volatile String template;
    volatile Gauge templateMeter;
  }
}
