package dev.stagegate.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.analysis.stats.AlignedReading.Baseline;
import dev.stagegate.analysis.stats.AlignedReading.Interval;
import dev.stagegate.analysis.stats.AlignedReading.Waiting;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sequential check fed with counts over aligned intervals")
class SequentialEvidenceTest {
    private final SequentialErrorCheck check = new SequentialErrorCheck(new SequentialConfig(0.2, 0.01));

    private static Interval interval(long from, long to, IntervalCounts counts) {
        return new Interval(from, to, 3000L, 15000L, counts, 0);
    }

    private SequentialResult started() {
        return this.check.update(null, new Baseline(0L, 5000L, 15000L));
    }

    @Test
    @DisplayName("before the first reading there is no data, after it and before comparable traffic the evidence is inconclusive, never a pass")
    void outcomesBeforeEvidence() {
        assertThat(this.check.update(null, new Waiting("fewer than two scrapes")).outcome()).isEqualTo(EvidenceOutcome.NO_DATA);
        SequentialResult r = this.started();
        assertThat(r.outcome()).isEqualTo(EvidenceOutcome.INCONCLUSIVE);
        assertThat(r.update()).isEqualTo(EvidenceUpdate.BASELINE_RECORDED);
        r = this.check.update(r.state(), interval(0L, 30000L, IntervalCounts.of(500.0, 40.0, 0.0, 0.0)));
        assertThat(r.update()).isEqualTo(EvidenceUpdate.NO_COMPARABLE_TRAFFIC);
        assertThat(r.outcome()).isEqualTo(EvidenceOutcome.INCONCLUSIVE);
        r = this.check.update(r.state(), interval(30000L, 60000L, IntervalCounts.of(500.0, 2.0, 4500.0, 20.0)));
        assertThat(r.outcome()).isEqualTo(EvidenceOutcome.CONTINUE);
        assertThat(r.state().lastCutMillis()).isEqualTo(60000L);
    }

    @Test
    @DisplayName("an interval that does not start at the state's cut is not counted: no interval counts twice")
    void foreignIntervalIsIgnored() {
        SequentialResult r = this.started();
        r = this.check.update(r.state(), interval(0L, 30000L, IntervalCounts.of(500.0, 2.0, 4500.0, 20.0)));
        SequentialResult again = this.check.update(r.state(), interval(0L, 30000L, IntervalCounts.of(500.0, 2.0, 4500.0, 20.0)));
        assertThat(again.update()).isEqualTo(EvidenceUpdate.NO_DATA);
        assertThat(again.state()).isEqualTo(r.state());
    }

    @Test
    @DisplayName("given a rolled-back canary, when the evidence is restarted (resume, retry), then it starts from nothing with a new alpha and counts the restart")
    void restartStartsAfresh() {
        SequentialResult r = this.started();
        r = this.check.update(r.state(), interval(0L, 30000L, IntervalCounts.of(1000.0, 100.0, 9000.0, 90.0)));
        assertThat(r.outcome()).isEqualTo(EvidenceOutcome.ROLLBACK);
        SequentialResult restarted = this.check.restart(r.state());
        assertThat(restarted.update()).isEqualTo(EvidenceUpdate.RESTARTED);
        assertThat(restarted.outcome()).isEqualTo(EvidenceOutcome.NO_DATA);
        assertThat(restarted.state().restarts()).isEqualTo(1L);
        assertThat(restarted.state().lastCutMillis()).as("counting restarts at the next reading").isNull();
        assertThat(restarted.log10EvidenceWorse()).isEqualTo(0.0, Offset.offset(1.0E-12));
    }

    @Test
    @DisplayName("given NO_WORSE at one weight, when the weight changes, then no-worse must be earned again while the rollback evidence stays")
    void noWorseIsReEarnedPerWeight() {
        SequentialResult r = this.started();
        r = this.check.update(r.state(), interval(0L, 30000L, IntervalCounts.of(500000.0, 5000.0, 500000.0, 5000.0)));
        assertThat(r.outcome()).isEqualTo(EvidenceOutcome.NO_WORSE);
        double worseBefore = r.log10EvidenceWorse();
        SequentialResult next = this.check.atNewWeight(r.state());
        assertThat(next.outcome()).isEqualTo(EvidenceOutcome.CONTINUE);
        assertThat(next.log10EvidenceNoWorse()).isEqualTo(0.0, Offset.offset(1.0E-12));
        assertThat(next.log10EvidenceWorse()).isEqualTo(worseBefore);
        SequentialResult rolledBack = this.check.update(next.state(), interval(30000L, 60000L, IntervalCounts.of(50000.0, 2500.0, 450000.0, 4500.0)));
        assertThat(rolledBack.outcome()).isEqualTo(EvidenceOutcome.ROLLBACK);
        assertThat(this.check.atNewWeight(rolledBack.state()).outcome()).as("ROLLBACK is absorbing")
            .isEqualTo(EvidenceOutcome.ROLLBACK);
    }

    @Test
    @DisplayName("the detectable regression shrinks as evidence accumulates, and says 'none yet' before any error")
    void detectableRegressionShrinks() {
        SequentialResult r = this.started();
        assertThat(r.detectableRelativeRisk()).isInfinite();
        assertThat(r.detectable()).contains("none yet");
        double previous = Double.POSITIVE_INFINITY;

        for (int i = 1; i <= 20; i++) {
            r = this.check.update(r.state(), interval((i - 1) * 30000L, i * 30000L, IntervalCounts.of(1000.0, 10.0, 9000.0, 90.0)));
            assertThat(r.detectableRelativeRisk()).isLessThanOrEqualTo(previous);
            previous = r.detectableRelativeRisk();
        }

        assertThat(previous).isBetween(1.3, 2.5);
        assertThat(r.summary()).contains("detectable so far: canary >= ");
    }

    @Test
    @DisplayName("with several signals (histogram buckets), the e-values are averaged: one bucket far worse rolls back, one alpha covers all")
    void severalSignalsAreAveraged() {
        SequentialErrorCheck latency = new SequentialErrorCheck(new SequentialConfig(0.2, 0.01), 3);
        SequentialResult r = latency.update(null, new Baseline(0L, 0L, 15000L));
        IntervalCounts onlyTheSlowestBucketWorse = new IntervalCounts(1000.0, 9000.0, new double[]{50.0, 20.0, 40.0}, new double[]{450.0, 180.0, 40.0});
        r = latency.update(r.state(), interval(0L, 30000L, onlyTheSlowestBucketWorse));
        assertThat(r.outcome()).isEqualTo(EvidenceOutcome.ROLLBACK);
        SequentialErrorCheck single = new SequentialErrorCheck(new SequentialConfig(0.2, 0.01));
        SequentialResult alone = single.update(
            single.update(null, new Baseline(0L, 0L, 15000L)).state(), interval(0L, 30000L, IntervalCounts.of(1000.0, 40.0, 9000.0, 40.0))
        );
        assertThat(r.log10EvidenceWorse()).as("averaging over 3 buckets costs log10(3)")
            .isGreaterThan(alone.log10EvidenceWorse() - Math.log10(3.0) - 1.0E-9);
        assertThat(SequentialState.decode(r.state().encode())).isEqualTo(r.state());
    }

    @Test
    @DisplayName("a new weight or restart round-trips through the encoded state")
    void encodedStateKeepsEverything() {
        SequentialResult r = this.started();
        r = this.check.update(r.state(), interval(0L, 30000L, IntervalCounts.of(1000.0, 12.0, 9000.0, 95.0)));
        SequentialState restarted = this.check.restart(this.check.atNewWeight(r.state()).state()).state();
        assertThat(SequentialState.decode(r.state().encode())).isEqualTo(r.state());
        assertThat(SequentialState.decode(restarted.encode())).isEqualTo(restarted);
    }
}
