package dev.stagegate.bench.decisions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Kayenta-style Mann-Whitney classifier")
class KayentaStylePolicyTest {

    private final KayentaStylePolicy kayenta = new KayentaStylePolicy(0.25, 0.98);

    @Test
    @DisplayName("a canary series clearly above the baseline is High")
    void clearlyHigherIsHigh() {
        assertThat(kayenta.isHigh(series(0.05, 1), series(0.01, 2))).isTrue();
    }

    @Test
    @DisplayName("series from the same distribution, a lower canary, or identical data are not High")
    void sameOrLowerIsNotHigh() {
        assertThat(kayenta.isHigh(series(0.01, 3), series(0.01, 4))).isFalse();
        assertThat(kayenta.isHigh(series(0.005, 5), series(0.01, 6))).isFalse();
        assertThat(kayenta.isHigh(series(0.01, 7), series(0.01, 7))).isFalse();
    }

    @Test
    @DisplayName("minutes without requests (NaN) are removed; no data at all is not High")
    void missingDataIsRemoved() {
        double[] canary = series(0.05, 8);
        canary[3] = Double.NaN;
        assertThat(kayenta.isHigh(canary, series(0.01, 9))).isTrue();
        assertThat(kayenta.isHigh(new double[] {Double.NaN}, series(0.01, 9))).isFalse();
    }

    private static double[] series(double mean, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[30];
        for (int i = 0; i < values.length; i++) {
            values[i] = mean * (0.8 + 0.4 * random.nextDouble());
        }
        return values;
    }
}
