package dev.stagegate.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.analysis.stats.BaselineComparison.Verdict;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Baseline comparison of canary against stable")
class BaselineComparisonTest {

    @Test
    @DisplayName("maxIncrease 0.5: a canary may be up to 50% worse than the baseline")
    void relativeAllowance() {
        BaselineComparison compare = BaselineComparison.relative(0.5);

        assertThat(compare.compare(0.015, 0.010).verdict()).isEqualTo(Verdict.PASS);
        assertThat(compare.compare(0.0151, 0.010).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(compare.compare(0.015, 0.010).limit()).isCloseTo(0.015, Offset.offset(1e-15));
    }

    @Test
    @DisplayName("a shared incident raising both revisions passes where a fixed threshold would fail")
    void sharedIncidentCancelsOut() {
        BaselineComparison compare = BaselineComparison.relative(0.5);

        assertThat(compare.compare(0.21, 0.20).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    @DisplayName("maxDelta: an absolute allowance in the query's unit")
    void absoluteAllowance() {
        BaselineComparison compare = BaselineComparison.absolute(0.002);

        assertThat(compare.compare(0.012, 0.010).verdict()).isEqualTo(Verdict.PASS);
        assertThat(compare.compare(0.0121, 0.010).verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    @DisplayName("with both bounds the more lenient applies, so maxDelta is a floor for small baselines")
    void bothBoundsUseTheMoreLenient() {
        BaselineComparison compare = new BaselineComparison(0.5, 0.002, BaselineComparison.Direction.HIGHER_IS_WORSE);

        assertThat(compare.limit(0.001)).isCloseTo(0.003, Offset.offset(1e-15));
        assertThat(compare.limit(0.1)).isCloseTo(0.15, Offset.offset(1e-15));
    }

    @Test
    @DisplayName("a zero baseline allows no relative increase: canary errors against none fail instead of reading as no data")
    void zeroBaseline() {
        BaselineComparison relative = BaselineComparison.relative(0.5);

        assertThat(relative.compare(0, 0).verdict()).isEqualTo(Verdict.PASS);
        assertThat(relative.compare(0.01, 0).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(new BaselineComparison(0.5, 0.02, BaselineComparison.Direction.HIGHER_IS_WORSE)
                .compare(0.01, 0).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    @DisplayName("NaN or infinite values on either side are NO_DATA, never PASS or FAIL")
    void missingValuesAreNoData() {
        BaselineComparison compare = BaselineComparison.relative(0.5);

        assertThat(compare.compare(Double.NaN, 0.01).verdict()).isEqualTo(Verdict.NO_DATA);
        assertThat(compare.compare(0.01, Double.NaN).verdict()).isEqualTo(Verdict.NO_DATA);
        assertThat(compare.compare(Double.POSITIVE_INFINITY, 0.01).verdict()).isEqualTo(Verdict.NO_DATA);
        assertThat(compare.compare(Double.NaN, Double.NaN).reason()).isEqualTo("no data for canary and baseline");
    }

    @Test
    @DisplayName("for lower-is-worse metrics such as success rate the limit mirrors downwards")
    void lowerIsWorse() {
        BaselineComparison compare = BaselineComparison.absolute(0.01).lowerIsWorse();

        assertThat(compare.compare(0.985, 0.99).verdict()).isEqualTo(Verdict.PASS);
        assertThat(compare.compare(0.975, 0.99).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(compare.compare(0.975, 0.99).reason()).contains("below limit 0.9800");
    }

    @Test
    @DisplayName("a negative baseline scales the relative allowance by its magnitude")
    void negativeBaseline() {
        assertThat(BaselineComparison.relative(0.5).limit(-2)).isCloseTo(-1, Offset.offset(1e-15));
    }

    @Test
    @DisplayName("a comparison without any allowance, or with a negative one, is rejected")
    void invalidConfiguration() {
        assertThatThrownBy(() -> new BaselineComparison(null, null, BaselineComparison.Direction.HIGHER_IS_WORSE))
                .hasMessageContaining("maxIncrease or maxDelta");
        assertThatThrownBy(() -> BaselineComparison.relative(-0.1)).hasMessageContaining("maxIncrease");
        assertThatThrownBy(() -> BaselineComparison.absolute(Double.NaN)).hasMessageContaining("maxDelta");
    }
}
