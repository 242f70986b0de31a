package dev.stagegate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.analysis.CheckOutcome;
import dev.stagegate.api.release.BaselineCompare;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.release.PrometheusQuery;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.testing.Releases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReleaseMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ReleaseMetrics metrics = new ReleaseMetrics(registry);

  @Test
  @DisplayName("given a Release seen for the first time, then its evaluation, rollback and promotion counters exist at zero, so increase() counts the first one")
  void countersStartAtZero() {
    Release release = Releases.named("checkout", "shop").stage("full", 100, "1m").errorRateCheck("10s", 2, 0.01).build();

    metrics.record(release, status(), Map.of(), List.of());

    for (CheckResult result : CheckResult.values()) {
      assertThat(registry.get("stagegate.check.evaluations").tag("check", "error-rate").tag("result", result.name())
          .counter().count()).as(result.name()).isZero();
    }
    assertThat(registry.get("stagegate.rollbacks").tag("name", "checkout").counter().count()).isZero();
    assertThat(registry.get("stagegate.promotions").tag("name", "checkout").counter().count()).isZero();
  }

  @Test
  @DisplayName("given a check with a fixed max, when it evaluates, then the threshold gauge shows that max and the evaluation is counted")
  void fixedMax() {
    Release release = Releases.named("checkout", "shop").stage("full", 100, "1m").errorRateCheck("10s", 2, 0.01).build();

    metrics.record(release, status(), Map.of("error-rate", CheckOutcome.pass(0.002, "ok")), List.of());

    assertThat(gauge("stagegate.check.threshold", "error-rate", "max")).isEqualTo(0.01);
    assertThat(gauge("stagegate.check.value", "error-rate", null)).isEqualTo(0.002);
    assertThat(registry.get("stagegate.check.evaluations").tag("result", "Pass").counter().count()).isEqualTo(1);
  }

  @Test
  @DisplayName("given a compare check against the stable revision, when it evaluates, then the threshold gauge shows the limit the baseline allows, and keeps it until the next reading")
  void compareLimit() {
    Release release = Releases.named("checkout", "shop").stage("full", 100, "1m").check(againstStable(0.5, 0.001)).build();

    metrics.record(release, status(), Map.of("vs-stable", new CheckOutcome(CheckResult.Pass, 0.03, 0.02, "ok", false, null)),
        List.of());
    double limit = gauge("stagegate.check.threshold", "vs-stable", "max");
    metrics.record(release, status(), Map.of(), List.of());

    assertThat(limit).as("0.02 + 50%, more lenient than + 0.001").isCloseTo(0.03, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(gauge("stagegate.check.threshold", "vs-stable", "max")).isEqualTo(limit);
    assertThat(gauge("stagegate.check.baseline", "vs-stable", null)).isEqualTo(0.02);
  }

  @Test
  @DisplayName("given a compare check that has not read a baseline yet, then its threshold is NaN: nothing to draw")
  void compareWithoutBaseline() {
    Release release = Releases.named("checkout", "shop").stage("full", 100, "1m").check(againstStable(0.5, null)).build();

    metrics.record(release, status(), Map.of(), List.of());

    assertThat(gauge("stagegate.check.threshold", "vs-stable", "max")).isNaN();
  }

  private static Check againstStable(double maxIncrease, Double maxDelta) {
    Check check = new Check();
    check.setName("vs-stable");
    check.setPrometheus(new PrometheusQuery("errors{revision=\"{{revision}}\"}"));
    BaselineCompare compare = new BaselineCompare();
    compare.setMaxIncrease(maxIncrease);
    compare.setMaxDelta(maxDelta);
    check.setCompare(compare);
    return check;
  }

  @Test
  @DisplayName("given a check resolved from a ClusterCheckTemplate, then stagegate_check_template names the template; when the check is written inline again, the series goes")
  void templateInfo() {
    Release release = Releases.named("checkout", "shop").stage("full", 100, "1m").errorRateCheck("10s", 2, 0.01).build();
    release.getSpec().getChecks().get(0).setTemplateRef(
        new dev.stagegate.api.templates.CheckTemplateRef(dev.stagegate.api.templates.TemplateKind.ClusterCheckTemplate,
            "error-rate"));

    metrics.record(release, status(), Map.of(), List.of());
    assertThat(registry.get("stagegate.check.template").tag("check", "error-rate")
        .tag("template", "ClusterCheckTemplate/error-rate").gauge().value()).isEqualTo(1.0);

    release.getSpec().getChecks().get(0).setTemplateRef(null);
    metrics.record(release, status(), Map.of(), List.of());
    assertThat(registry.find("stagegate.check.template").gauges()).isEmpty();
  }

  private static ReleaseStatus status() {
    ReleaseStatus status = new ReleaseStatus();
    status.setPhase(ReleasePhase.Progressing);
    return status;
  }

  private double gauge(String name, String check, String bound) {
    var search = registry.get(name).tag("check", check);
    return (bound == null ? search : search.tag("bound", bound)).gauge().value();
  }
}
