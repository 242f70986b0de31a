package dev.stagegate.analysis;

import dev.stagegate.analysis.stats.SequentialState;
import dev.stagegate.analysis.stats.Counts;
import dev.stagegate.analysis.stats.EvidenceUpdate;
import dev.stagegate.analysis.stats.SequentialConfig;
import dev.stagegate.analysis.stats.SequentialDecision;
import dev.stagegate.analysis.stats.SequentialErrorCheck;
import dev.stagegate.analysis.stats.SequentialResult;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.release.SequentialCheck;
import dev.stagegate.api.release.SequentialEvidence;
import java.util.Locale;

/**
 * Turns the sequential test's result into a check outcome: ROLLBACK fails, NO_WORSE passes and
 * lets the stage end early, CONTINUE passes (no evidence of harm so far), and no comparable data
 * is NoData — never a pass on nothing.
 */
final class SequentialEvaluation {
  private SequentialEvaluation() {}

  static CheckOutcome judge(SequentialCheck spec, SequentialEvidence previous, Counts canary, Counts stable) {
    SequentialConfig config = new SequentialConfig(
        spec.getMaxRelativeIncrease() == null ? 0.2 : spec.getMaxRelativeIncrease(),
        spec.getFalseRollbackRate() == null ? 0.01 : spec.getFalseRollbackRate());
    SequentialErrorCheck test = new SequentialErrorCheck(config);
    SequentialState before = decode(previous);
    SequentialResult result = test.update(before, canary, stable);
    SequentialEvidence carried = encode(result);
    double canaryRate = canary.requests() > 0 ? canary.errors() / canary.requests() : Double.NaN;
    String summary = result.summary();
    if (result.decision() == SequentialDecision.ROLLBACK) {
      return new CheckOutcome(CheckResult.Fail, finite(canaryRate), result.log10EvidenceWorse(), summary, false, carried);
    }
    boolean noEvidenceYet = result.update() == EvidenceUpdate.NO_DATA
        || (result.update() == EvidenceUpdate.BASELINE_RECORDED && before == null);
    if (noEvidenceYet && result.decision() == SequentialDecision.CONTINUE) {
      return new CheckOutcome(CheckResult.NoData, finite(canaryRate), result.log10EvidenceWorse(), summary, false,
          carried);
    }
    return new CheckOutcome(CheckResult.Pass, finite(canaryRate), result.log10EvidenceWorse(), summary,
        result.decision() == SequentialDecision.NO_WORSE, carried);
  }

  private static SequentialState decode(SequentialEvidence previous) {
    if (previous == null || previous.getEncoded() == null) {
      return null;
    }
    try {
      return SequentialState.decode(previous.getEncoded());
    } catch (IllegalArgumentException e) {
      // A state written by another version starts the evidence afresh rather than guessing.
      return null;
    }
  }

  private static SequentialEvidence encode(SequentialResult result) {
    SequentialEvidence s = new SequentialEvidence();
    s.setEncoded(result.state().encode());
    s.setDecision(result.decision().name());
    s.setEvidenceWorse(round(result.log10EvidenceWorse()));
    s.setRollbackAt(round(result.log10RollbackThreshold()));
    s.setEvidenceNoWorse(round(result.log10EvidenceNoWorse()));
    s.setNoWorseAt(round(result.log10NoWorseThreshold()));
    double rr = result.relativeRisk();
    s.setRelativeRisk(Double.isNaN(rr) ? "n/a" : Double.isInfinite(rr) ? "inf" : String.format(Locale.ROOT, "%.3g", rr));
    return s;
  }

  private static Double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : null;
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
