package dev.stagegate.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.PrometheusQuery;
import dev.stagegate.api.release.ReleaseAnalysis;
import dev.stagegate.api.release.ReleaseSpec;
import dev.stagegate.api.release.SequentialCheck;
import dev.stagegate.api.release.SequentialLatencyCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A Release's falseRollbackRate is split across its sequential checks")
class SequentialBudgetTest {

  @Test
  @DisplayName("given a Release-level rate of 0.03 and three sequential checks without their own, when judged, then each check is judged with 0.01 and the spec itself is left alone")
  void sharedEqually() {
    ReleaseSpec spec = spec(0.03, sequential("a", null), sequential("b", null), sequential("c", null));

    for (Check check : spec.getChecks()) {
      SequentialCheck effective = SequentialBudget.effective(spec, check);
      assertThat(effective.getFalseRollbackRate()).isCloseTo(0.01, within(1e-15));
      assertThat(SequentialEvaluation.config(effective).falseRollbackRate()).isCloseTo(0.01, within(1e-15));
      assertThat(check.getSequential().getFalseRollbackRate()).isNull();
    }
    assertThat(SequentialBudget.problem(spec)).isEmpty();
  }

  @Test
  @DisplayName("given a Release-level rate of 0.01 and one check with its own 0.004, when judged, then that check keeps 0.004 and the two others share the rest, 0.003 each")
  void ownRateKeptRestShared() {
    ReleaseSpec spec = spec(0.01, sequential("own", 0.004), sequential("b", null), sequential("c", null));

    assertThat(SequentialBudget.effective(spec, spec.getChecks().get(0)).getFalseRollbackRate()).isEqualTo(0.004);
    assertThat(SequentialBudget.effective(spec, spec.getChecks().get(1)).getFalseRollbackRate())
        .isCloseTo(0.003, within(1e-15));
    assertThat(SequentialBudget.effective(spec, spec.getChecks().get(2)).getFalseRollbackRate())
        .isCloseTo(0.003, within(1e-15));
  }

  @Test
  @DisplayName("given a threshold check beside two sequential ones, when the budget is split, then only the sequential checks take a share")
  void thresholdChecksTakeNoShare() {
    Check threshold = new Check();
    threshold.setName("latency");
    threshold.setPrometheus(new PrometheusQuery());
    threshold.setMax(0.5);
    ReleaseSpec spec = spec(0.02, sequential("a", null), threshold, sequential("b", null));

    assertThat(SequentialBudget.effective(spec, spec.getChecks().get(0)).getFalseRollbackRate()).isEqualTo(0.01);
    assertThat(SequentialBudget.effective(spec, threshold)).isNull();
  }

  @Test
  @DisplayName("given a Release-level rate of 0.01 over an errors check and a latency check, when judged, then each takes 0.005 and the latency check runs one signal per bucket")
  void latencyChecksShareTheBudget() {
    Check latency = new Check();
    latency.setName("latency");
    SequentialLatencyCheck buckets = new SequentialLatencyCheck();
    buckets.setBucket("sum(h_bucket{revision=\"{{revision}}\",le=\"{{le}}\"})");
    buckets.setCount("sum(h_count{revision=\"{{revision}}\"})");
    buckets.setSlowerThan(List.of("0.25", "1"));
    latency.setSequentialLatency(buckets);
    ReleaseSpec spec = spec(0.01, sequential("errors", null), latency);

    SequentialSpec errors = SequentialBudget.spec(spec, spec.getChecks().get(0));
    SequentialSpec slow = SequentialBudget.spec(spec, latency);

    assertThat(errors.config().falseRollbackRate()).isEqualTo(0.005);
    assertThat(slow.config().falseRollbackRate()).isEqualTo(0.005);
    assertThat(slow.signals()).hasSize(2);
    assertThat(slow.counters().get("le=0.25").query()).isEqualTo("sum(h_bucket{revision=\"{{revision}}\",le=\"0.25\"})");
    assertThat(buckets.getFalseRollbackRate()).isNull();
  }

  @Test
  @DisplayName("given no Release-level rate, when judged, then every check keeps its own rate or the default 0.01, as before")
  void noReleaseRate() {
    ReleaseSpec spec = spec(null, sequential("a", null), sequential("b", 0.02));

    assertThat(SequentialEvaluation.config(SequentialBudget.effective(spec, spec.getChecks().get(0))).falseRollbackRate())
        .isEqualTo(0.01);
    assertThat(SequentialBudget.effective(spec, spec.getChecks().get(1)).getFalseRollbackRate()).isEqualTo(0.02);
  }

  @Test
  @DisplayName("given checks whose own rates exceed the Release's, when validated, then the problem names spec.analysis.falseRollbackRate")
  void overdrawnBudgetIsRefused() {
    ReleaseSpec spec = spec(0.01, sequential("a", 0.008), sequential("b", 0.008));

    assertThat(SequentialBudget.problem(spec)).hasValueSatisfying(
        message -> assertThat(message).startsWith("spec.analysis.falseRollbackRate:"));
  }

  private static ReleaseSpec spec(Double releaseRate, Check... checks) {
    ReleaseSpec spec = new ReleaseSpec();
    spec.setChecks(new ArrayList<>(List.of(checks)));
    if (releaseRate != null) {
      ReleaseAnalysis analysis = new ReleaseAnalysis();
      analysis.setFalseRollbackRate(releaseRate);
      spec.setAnalysis(analysis);
    }
    return spec;
  }

  private static Check sequential(String name, Double ownRate) {
    SequentialCheck seq = new SequentialCheck();
    seq.setErrors("sum(errors_total)");
    seq.setRequests("sum(requests_total)");
    seq.setFalseRollbackRate(ownRate);
    Check check = new Check();
    check.setName(name);
    check.setSequential(seq);
    return check;
  }
}
