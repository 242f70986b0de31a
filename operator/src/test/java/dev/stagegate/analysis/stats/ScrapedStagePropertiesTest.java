package dev.stagegate.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Sequential check on per-pod staggered scrapes")
class ScrapedStagePropertiesTest {
    private static final int RUNS = 1500;
    private static final double ALPHA = 0.01;
    private static final int STAGE_SECONDS = 1800;
    private final SequentialErrorCheck check = new SequentialErrorCheck(new SequentialConfig(0.2, 0.01));

    @ParameterizedTest(
        name = "scrape interval {0}s"
    )
    @ValueSource(
        ints = {15, 30, 60}
    )
    @DisplayName("given staggered per-pod scrapes and a shared incident mid-interval, when counts are aligned on raw samples, then false rollbacks at the H0 boundary stay at or below alpha")
    void alignedReadingKeepsAlpha(int scrapeSeconds) {
        ScrapedStage stage = new ScrapedStage(10000 + scrapeSeconds);
        int rollbacks = 0;
        int unusable = 0;

        for (int run = 0; run < 1500; run++) {
            ScrapedStage.Outcome o = stage.run(this.check, stage.boundaryWithIncident(scrapeSeconds), ScrapedStage.Reading.ALIGNED_RAW_SAMPLES);
            rollbacks += o.rolledBack() ? 1 : 0;
            unusable += o.unusable() ? 1 : 0;
            if (o.unusable()) {
                System.out.println("refused: " + o.unusableMessage());
            }
        }

        assertThat(unusable).as("clean counters are never refused").isZero();
        SequentialErrorCheckPropertiesTest.assertWithinBound("aligned, scrape " + scrapeSeconds + "s, H0 boundary + incident", rollbacks, 1500, 0.01);
    }

    @Test
    @DisplayName("the harness can see the violation: at 500 requests/s with a +20-point shared incident, summed latest samples roll back more than twice alpha at every scrape interval, the aligned reading within alpha")
    void summedLatestSamplesExceedAlpha() {
        for (int scrapeSeconds : new int[]{15, 30, 60}) {
            ScrapedStage stage = new ScrapedStage(40000 + scrapeSeconds);
            int summed = 0;
            int aligned = 0;
            int runs = 500;

            for (int run = 0; run < runs; run++) {
                ScrapedStage.Setup setup = stage.busyBoundaryWithBigIncident(scrapeSeconds);
                long seed = stage.integer(0, 2147483646);
                summed += new ScrapedStage(seed).run(this.check, setup, ScrapedStage.Reading.SUMMED_LATEST_SAMPLES).rolledBack() ? 1 : 0;
                aligned += new ScrapedStage(seed).run(this.check, setup, ScrapedStage.Reading.ALIGNED_RAW_SAMPLES).rolledBack() ? 1 : 0;
            }

            System.out
                .printf(
                    "500 req/s, +20-point incident, scrape %ds: summed latest samples %d/%d, aligned %d/%d false rollbacks%n",
                    scrapeSeconds,
                    summed,
                    runs,
                    aligned,
                    runs
                );
            assertThat((double)summed / runs).as("summed, scrape %ds", scrapeSeconds).isGreaterThan(0.02);
            SequentialErrorCheckPropertiesTest.assertWithinBound("aligned, 500 req/s +20 points, scrape " + scrapeSeconds + "s", aligned, runs, 0.01);
        }
    }

    @Test
    @DisplayName("given a fivefold error rate at 20-500 requests/s and a 10% canary, with a shared incident in a third of the runs, then the aligned check still rolls back at least 95% within the stage")
    void fivefoldRegressionIsCaught() {
        ScrapedStage stage = new ScrapedStage(20000L);
        int runs = 400;
        int caught = 0;

        for (int run = 0; run < runs; run++) {
            int scrape = new int[]{15, 30, 60}[run % 3];
            ScrapedStage.Incident incident = stage.chance(0.3333333333333333)
                ? new ScrapedStage.Incident(stage.uniform(0.0, 1620.0), stage.uniform(180.0, 900.0), stage.logUniform(0.01, 0.2))
                : null;
            ScrapedStage.Setup setup = new ScrapedStage.Setup(
                stage.logUniform(20.0, 500.0), 1, 9, 0.1, stage.logUniform(0.001, 0.02), 5.0, scrape, 1800, incident, null, false
            );
            caught += stage.run(this.check, setup, ScrapedStage.Reading.ALIGNED_RAW_SAMPLES).rolledBack() ? 1 : 0;
        }

        System.out.printf("fivefold regressions caught: %d/%d%n", caught, runs);
        assertThat((double)caught / runs).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    @DisplayName("given every request reported twice (source and destination), then summed readings roll back A/A-like canaries above alpha while the aligned reading refuses the counters every time")
    void doubleCountingIsRefused() {
        ScrapedStage stage = new ScrapedStage(30000L);
        int runs = 600;
        int summedRollbacks = 0;
        int refused = 0;

        for (int run = 0; run < runs; run++) {
            ScrapedStage.Setup setup = stage.doubleReported(15);
            long seed = stage.integer(0, 2147483646);
            summedRollbacks += new ScrapedStage(seed).run(this.check, setup, ScrapedStage.Reading.SUMMED_LATEST_SAMPLES).rolledBack() ? 1 : 0;
            ScrapedStage.Outcome aligned = new ScrapedStage(seed).run(this.check, setup, ScrapedStage.Reading.ALIGNED_RAW_SAMPLES);
            if (aligned.unusable()) {
                refused++;
                assertThat(aligned.unusableMessage()).contains("once per reporter");
            }
        }

        System.out.printf("double reported: summed readings rolled back %d/%d, aligned refused %d/%d%n", summedRollbacks, runs, refused, runs);
        assertThat(refused).isEqualTo(runs);
        assertThat((double)summedRollbacks / runs).isGreaterThan(0.01);
    }
}
