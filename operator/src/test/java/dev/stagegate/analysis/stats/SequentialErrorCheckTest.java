package dev.stagegate.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Sequential error check, single evaluations")
class SequentialErrorCheckTest {

    private final SequentialErrorCheck check = new SequentialErrorCheck(new SequentialConfig(0.2, 0.01));

    @Test
    @DisplayName("the first reading only records the baseline: nothing from before the stage counts")
    void firstReadingIsTheBaseline() {
        SequentialResult result = check.update(null, Counts.of(5_000, 400), Counts.of(50_000, 10));

        assertThat(result.update()).isEqualTo(EvidenceUpdate.BASELINE_RECORDED);
        assertThat(result.decision()).isEqualTo(SequentialDecision.CONTINUE);
        assertThat(result.log10EvidenceWorse()).isEqualTo(0.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(result.state().canaryCounted()).isEqualTo(Counts.of(0, 0));
    }

    @Test
    @DisplayName("it never decides on zero data: no traffic, no errors, or traffic on one revision only")
    void neverDecidesOnZeroData() {
        SequentialResult result = check.update(null, Counts.of(0, 0), Counts.of(0, 0));
        for (int i = 0; i < 1_000; i++) {
            result = check.update(result.state(), Counts.of(0, 0), Counts.of(0, 0));
            assertThat(result.decision()).isEqualTo(SequentialDecision.CONTINUE);
        }
        // Traffic without a single error carries no evidence either way.
        for (int i = 1; i <= 1_000; i++) {
            result = check.update(result.state(), Counts.of(i * 1_000, 0), Counts.of(i * 9_000, 0));
            assertThat(result.update()).isEqualTo(EvidenceUpdate.NO_NEW_ERRORS);
            assertThat(result.decision()).isEqualTo(SequentialDecision.CONTINUE);
        }
        // Canary errors while the stable revision serves nothing cannot be compared.
        for (int i = 1; i <= 100; i++) {
            result = check.update(result.state(), Counts.of(1_000_000 + i * 1_000, i * 500), Counts.of(9_000_000, 0));
            assertThat(result.update()).isEqualTo(EvidenceUpdate.NO_COMPARABLE_TRAFFIC);
            assertThat(result.decision()).isEqualTo(SequentialDecision.CONTINUE);
        }
        assertThat(result.log10EvidenceWorse()).isEqualTo(0.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(result.log10EvidenceNoWorse()).isEqualTo(0.0, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    @DisplayName("missing or NaN readings change nothing and decide nothing")
    void nanReadingsAreNoData() {
        SequentialResult before = check.update(null, Counts.of(100, 1), Counts.of(900, 9));
        before = check.update(before.state(), Counts.of(200, 5), Counts.of(1_800, 10));

        for (Counts bad : List.of(Counts.of(Double.NaN, 1), Counts.of(300, Double.NaN),
                Counts.of(Double.POSITIVE_INFINITY, 1), Counts.of(-1, 0))) {
            SequentialResult canaryMissing = check.update(before.state(), bad, Counts.of(2_700, 12));
            SequentialResult stableMissing = check.update(before.state(), Counts.of(300, 6), bad);

            assertThat(canaryMissing.update()).isEqualTo(EvidenceUpdate.NO_DATA);
            assertThat(canaryMissing.state()).isEqualTo(before.state());
            assertThat(stableMissing.state()).isEqualTo(before.state());
        }
        assertThat(check.update(before.state(), null, Counts.of(1, 1)).state()).isEqualTo(before.state());
    }

    @Test
    @DisplayName("a counter reset skips that interval and counts on from the new readings, never negatively or twice")
    void counterResetRestartsCounting() {
        SequentialResult r = check.update(null, Counts.of(1_000, 10), Counts.of(9_000, 90));
        r = check.update(r.state(), Counts.of(2_000, 20), Counts.of(18_000, 180));
        assertThat(r.state().canaryCounted()).isEqualTo(Counts.of(1_000, 10));

        // A canary pod restarted: its counters went back down.
        r = check.update(r.state(), Counts.of(300, 2), Counts.of(27_000, 270));
        assertThat(r.update()).isEqualTo(EvidenceUpdate.COUNTER_RESET);
        assertThat(r.state().counterResets()).isEqualTo(1);
        assertThat(r.state().canaryCounted()).isEqualTo(Counts.of(1_000, 10));
        assertThat(r.state().stableCounted()).isEqualTo(Counts.of(9_000, 90));

        r = check.update(r.state(), Counts.of(1_300, 12), Counts.of(36_000, 360));
        assertThat(r.update()).isEqualTo(EvidenceUpdate.EVIDENCE_ADDED);
        assertThat(r.state().canaryCounted()).isEqualTo(Counts.of(2_000, 20));
        assertThat(r.state().stableCounted()).isEqualTo(Counts.of(18_000, 180));
    }

    @Test
    @DisplayName("a canary that takes most of the errors with a small share of the traffic is rolled back")
    void clearRegressionRollsBack() {
        SequentialResult r = check.update(null, Counts.of(0, 0), Counts.of(0, 0));
        // 10% of traffic, stable at 1% errors, canary at 10%: the canary's share of errors is ~53% instead of ~12%.
        r = check.update(r.state(), Counts.of(1_000, 100), Counts.of(9_000, 90));

        assertThat(r.decision()).isEqualTo(SequentialDecision.ROLLBACK);
        assertThat(r.log10EvidenceWorse()).isGreaterThanOrEqualTo(r.log10RollbackThreshold());
        assertThat(r.log10RollbackThreshold()).isEqualTo(2.0, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(r.relativeRisk()).isEqualTo(10.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.summary()).contains("ROLLBACK", "canary 100/1000", "stable 90/9000", "relative risk 10.0");
    }

    @Test
    @DisplayName("a few errors are not enough: 2 canary errors against 10 stable ones at a 10% share keeps watching")
    void weakEvidenceContinues() {
        SequentialResult r = check.update(null, Counts.of(0, 0), Counts.of(0, 0));
        r = check.update(r.state(), Counts.of(1_000, 2), Counts.of(9_000, 10));

        assertThat(r.decision()).isEqualTo(SequentialDecision.CONTINUE);
        assertThat(r.log10EvidenceWorse()).isLessThan(r.log10RollbackThreshold());
    }

    @Test
    @DisplayName("more canary errors for the same traffic never mean less evidence against the canary")
    void evidenceIsMonotoneInCanaryErrors() {
        double previous = Double.NEGATIVE_INFINITY;
        for (int canaryErrors = 0; canaryErrors <= 60; canaryErrors++) {
            SequentialResult r = check.update(null, Counts.of(0, 0), Counts.of(0, 0));
            r = check.update(r.state(), Counts.of(1_000, canaryErrors), Counts.of(9_000, 90));
            assertThat(r.log10EvidenceWorse()).isGreaterThanOrEqualTo(previous);
            previous = r.log10EvidenceWorse();
        }
    }

    @Test
    @DisplayName("ROLLBACK is absorbing: later healthy intervals do not undo it")
    void rollbackIsSticky() {
        SequentialResult r = check.update(null, Counts.of(0, 0), Counts.of(0, 0));
        r = check.update(r.state(), Counts.of(1_000, 100), Counts.of(9_000, 90));
        assertThat(r.decision()).isEqualTo(SequentialDecision.ROLLBACK);
        for (int i = 2; i < 200; i++) {
            r = check.update(r.state(), Counts.of(i * 1_000, 100 + i), Counts.of(i * 9_000, i * 90));
        }

        assertThat(r.decision()).isEqualTo(SequentialDecision.ROLLBACK);
    }

    @Test
    @DisplayName("a canary with the same error rate as stable over lots of traffic is declared NO_WORSE")
    void equalRatesOverLotsOfTrafficAreNoWorse() {
        SequentialResult r = check.update(null, Counts.of(0, 0), Counts.of(0, 0));
        r = check.update(r.state(), Counts.of(500_000, 5_000), Counts.of(500_000, 5_000));

        assertThat(r.decision()).isEqualTo(SequentialDecision.NO_WORSE);
        assertThat(r.log10EvidenceNoWorse()).isGreaterThanOrEqualTo(r.log10NoWorseThreshold());
    }

    @Test
    @DisplayName("restarting from the encoded state after every evaluation gives identical states and decisions")
    void restartFromEncodedStateIsIdentical() {
        SimulatedStage stage = new SimulatedStage(99);
        List<Counts[]> readings = new ArrayList<>();
        stage.generate(120, 30, 80, 0.01, 0.05, 0.3, r -> 2.5 * r,
                (i, canary, stable) -> readings.add(new Counts[] {canary, stable}));
        // A counter reset in the middle, so that the skipped-interval path is restarted across too.
        readings.add(60, new Counts[] {Counts.of(5, 0), readings.get(59)[1]});

        SequentialResult uninterrupted = check.update(null, Counts.of(0, 0), Counts.of(0, 0));
        SequentialResult restarted = check.update(null, Counts.of(0, 0), Counts.of(0, 0));
        for (Counts[] reading : readings) {
            uninterrupted = check.update(uninterrupted.state(), reading[0], reading[1]);
            SequentialState reloaded = SequentialState.decode(restarted.state().encode());
            restarted = check.update(reloaded, reading[0], reading[1]);

            assertThat(restarted.decision()).isEqualTo(uninterrupted.decision());
            assertThat(restarted.state()).isEqualTo(uninterrupted.state());
            assertThat(restarted.state().encode()).isEqualTo(uninterrupted.state().encode());
        }
        assertThat(uninterrupted.decision()).isEqualTo(SequentialDecision.ROLLBACK);
    }

    @Test
    @DisplayName("changing maxRelativeIncrease or falseRollbackRate mid-stage restarts the evidence from the current readings")
    void changedParametersRestartEvidence() {
        SequentialResult r = check.update(null, Counts.of(0, 0), Counts.of(0, 0));
        r = check.update(r.state(), Counts.of(1_000, 100), Counts.of(9_000, 90));
        assertThat(r.decision()).isEqualTo(SequentialDecision.ROLLBACK);

        SequentialErrorCheck looser = new SequentialErrorCheck(new SequentialConfig(1.0, 0.01));
        SequentialResult after = looser.update(r.state(), Counts.of(1_100, 101), Counts.of(9_900, 99));

        assertThat(after.update()).isEqualTo(EvidenceUpdate.PARAMETERS_CHANGED);
        assertThat(after.decision()).isEqualTo(SequentialDecision.CONTINUE);
        assertThat(after.state().nullRateRatio()).isEqualTo(2.0);
        assertThat(after.state().lastCanary()).isEqualTo(Counts.of(1_100, 101));
        assertThat(after.state().canaryCounted()).isEqualTo(Counts.of(0, 0));
        assertThat(after.state().restarts()).isEqualTo(1);

        SequentialErrorCheck stricter = new SequentialErrorCheck(new SequentialConfig(1.0, 0.001));
        SequentialResult again = stricter.update(after.state(), Counts.of(1_200, 102), Counts.of(10_800, 108));

        assertThat(again.update()).isEqualTo(EvidenceUpdate.PARAMETERS_CHANGED);
        assertThat(again.state().falseRollbackRate()).isEqualTo(0.001);
        assertThat(again.state().restarts()).isEqualTo(2);
    }

    @Test
    @DisplayName("configuration outside its domain is rejected with the parameter's name")
    void invalidConfigurationIsRejected() {
        assertThatThrownBy(() -> new SequentialConfig(0.2, 0)).hasMessageContaining("falseRollbackRate");
        assertThatThrownBy(() -> new SequentialConfig(0.2, 1)).hasMessageContaining("falseRollbackRate");
        assertThatThrownBy(() -> new SequentialConfig(0.2, Double.NaN)).hasMessageContaining("falseRollbackRate");
        assertThatThrownBy(() -> new SequentialConfig(-0.1, 0.01)).hasMessageContaining("maxRelativeIncrease");
        assertThatThrownBy(() -> new SequentialConfig(0.2, 0.01, 1.5)).hasMessageContaining("falsePromotionRate");
    }
}
