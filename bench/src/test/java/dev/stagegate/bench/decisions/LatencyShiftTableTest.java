package dev.stagegate.bench.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Latency-shift table of the decision benchmark")
class LatencyShiftTableTest {

    @Test
    @DisplayName("given a few runs, then it prints a row per judge and canary traffic, with the no-shift false rollbacks and each shift's detection")
    void printsEveryJudge() {
        List<LatencyShiftTable.Row> rows = LatencyShiftTable.measure(3, 5);
        StringBuilder out = new StringBuilder();

        LatencyShiftTable.print(out, rows);

        for (LatencyShiftTable.Judge judge : LatencyShiftTable.judges()) {
            assertThat(out.toString().lines().filter(l -> l.startsWith(String.format("%-30s |", judge.name()))))
                .as("rows of %s", judge.name()).hasSize(LatencyShiftTable.CANARY_RPS.length);
        }
        assertThat(out).contains("x1.0 false RB [95% CI]", "x2.00 caught/min", "runs per cell: 5");
    }

    @Test
    @DisplayName("given bucket counts, then the p99 is interpolated within its bucket as Prometheus' histogram_quantile does")
    void quantileAsPrometheus() {
        // 100 requests in one window: 50 <= 0.05s, 45 in (0.05, 0.1], 5 in (0.1, 0.25]; none slower.
        long[][] c = new long[2][LatencyShiftTable.LE.length + 1];
        long[] cumulative = {50, 95, 100, 100, 100, 100, 100, 100};
        c[1] = cumulative;

        assertThat(LatencyShiftTable.quantile(0.99, c, 0, 1)).isCloseTo(0.1 + 0.15 * 4 / 5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(LatencyShiftTable.quantile(0.5, c, 0, 1)).isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(LatencyShiftTable.quantile(0.99, c, 1, 1)).as("no requests: NoData").isNaN();
    }

    @Test
    @DisplayName("given a shift, then the canary's histogram is slower and the stable's is not: the same seed gives the same counts")
    void shiftSlowsTheCanaryOnly() {
        LatencyShiftTable.Histograms same = LatencyShiftTable.generate(new SplittableRandom(9), 50, 2.0);
        LatencyShiftTable.Histograms again = LatencyShiftTable.generate(new SplittableRandom(9), 50, 2.0);
        int end = same.canary().length - 1;
        int half = 3; // le=0.5

        double canarySlow = 1 - (double) same.canary()[end][half] / same.canary()[end][LatencyShiftTable.LE.length];
        double stableSlow = 1 - (double) same.stable()[end][half] / same.stable()[end][LatencyShiftTable.LE.length];

        assertThat(canarySlow).isGreaterThan(3 * stableSlow);
        assertThat(again.canary()[end]).isEqualTo(same.canary()[end]);
    }
}
