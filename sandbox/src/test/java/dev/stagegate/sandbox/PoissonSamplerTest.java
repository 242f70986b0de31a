package dev.stagegate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.commons.math3.random.Well19937c;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.DisplayName;

/** The simulations are only as honest as their sampler: its mean and variance must both equal the Poisson mean. */
@DisplayName("Poisson sampler used by the simulations")
class PoissonSamplerTest {

    @ParameterizedTest(name = "mean {0}")
    @ValueSource(doubles = {0.05, 3, 9.9, 10, 57, 4000})
    @DisplayName("draws have the Poisson mean and variance")
    void meanAndVarianceMatch(double mean) {
        Well19937c random = new Well19937c(42);
        PoissonSampler sampler = new PoissonSampler(random::nextDouble);
        int n = 200_000;
        double sum = 0;
        double sumSquares = 0;
        for (int i = 0; i < n; i++) {
            long k = sampler.sample(mean);
            sum += k;
            sumSquares += (double) k * k;
        }
        double sampleMean = sum / n;
        double sampleVariance = sumSquares / n - sampleMean * sampleMean;

        // 5 standard errors of the mean and (roughly) of the variance.
        assertThat(sampleMean).isCloseTo(mean, org.assertj.core.data.Offset.offset(5 * Math.sqrt(mean / n)));
        assertThat(sampleVariance).isCloseTo(mean,
                org.assertj.core.data.Offset.offset(5 * Math.sqrt((2 * mean * mean + mean) / n)));
    }
}
