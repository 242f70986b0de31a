package dev.stagegate.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.analysis.CheckQuery;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.ReleaseAnalysis;
import dev.stagegate.api.release.ReleaseSpec;
import dev.stagegate.api.release.SequentialCheck;
import dev.stagegate.api.release.SequentialLatencyCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The reconciler evaluates each sequential check with its share of the Release's budget")
class ReleaseCheckQueryTest {

  @Test
  @DisplayName("given spec.analysis.falseRollbackRate 0.02, an errors check and a latency check without their own rate, when their queries are built, then each carries 0.01 and the spec is left as written")
  void queriesCarryTheShare() {
    Check errors = new Check();
    errors.setName("errors");
    SequentialCheck seq = new SequentialCheck();
    seq.setErrors("sum(errors_total{revision=\"{{revision}}\"})");
    seq.setRequests("sum(requests_total{revision=\"{{revision}}\"})");
    errors.setSequential(seq);
    Check latency = new Check();
    latency.setName("latency");
    SequentialLatencyCheck buckets = new SequentialLatencyCheck();
    buckets.setBucket("sum(h_bucket{revision=\"{{revision}}\",le=\"{{le}}\"})");
    buckets.setCount("sum(h_count{revision=\"{{revision}}\"})");
    buckets.setSlowerThan(List.of("0.5"));
    latency.setSequentialLatency(buckets);
    ReleaseSpec spec = new ReleaseSpec();
    spec.setChecks(new ArrayList<>(List.of(errors, latency)));
    ReleaseAnalysis analysis = new ReleaseAnalysis();
    analysis.setFalseRollbackRate(0.02);
    spec.setAnalysis(analysis);

    CheckQuery errorsQuery = ReleaseObserver.query(spec, errors);
    CheckQuery latencyQuery = ReleaseObserver.query(spec, latency);

    assertThat(errorsQuery.sequential().getFalseRollbackRate()).isEqualTo(0.01);
    assertThat(errorsQuery.sequentialLatency()).isNull();
    assertThat(latencyQuery.sequentialLatency().getFalseRollbackRate()).isEqualTo(0.01);
    assertThat(latencyQuery.sequential()).isNull();
    assertThat(seq.getFalseRollbackRate()).isNull();
    assertThat(buckets.getFalseRollbackRate()).isNull();
  }
}
