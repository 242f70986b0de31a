package dev.stagegate.analysis;

import dev.stagegate.analysis.stats.Counts;
import dev.stagegate.analysis.stats.EvidenceOutcome;
import dev.stagegate.analysis.stats.EvidenceUpdate;
import dev.stagegate.analysis.stats.SequentialConfig;
import dev.stagegate.analysis.stats.SequentialResult;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.release.SequentialCheck;
import dev.stagegate.api.release.SequentialEvidence;
import java.util.Locale;

/**
 * Turns the sequential test's result into a check outcome: ROLLBACK fails, NO_WORSE passes and lets the stage end
 * early, CONTINUE passes only in the sense "no evidence of harm so far" (reported as such in {@link
 * CheckOutcome#evidence()}), and no reading or no comparable traffic yet (NO_DATA, INCONCLUSIVE) is NoData, never a
 * pass on nothing.
 */
final class SequentialEvaluation {
  private SequentialEvaluation() {}

  /** The spec's parameters with the code defaults filled in (the spec is validated before any check runs). */
  static SequentialConfig config(SequentialCheck spec) {
    return new SequentialConfig(
        orDefault(spec.getMaxRelativeIncrease(), SequentialCheck.DEFAULT_MAX_RELATIVE_INCREASE),
        orDefault(spec.getFalseRollbackRate(), SequentialCheck.DEFAULT_FALSE_ROLLBACK_RATE),
        orDefault(spec.getFalsePromotionRate(), SequentialCheck.DEFAULT_FALSE_PROMOTION_RATE));
  }

  private static double orDefault(Double value, double fallback) {
    return value == null ? fallback : value;
  }

  /** @param badEvents what the first signal counts, for the message ("errors", "slower than 0.5s") */
  static CheckOutcome judge(SequentialResult result, String badEvents) {
    SequentialEvidence carried = encode(result);
    Counts canary = result.state().canaryCounted();
    Double canaryRate = canary.requests() > 0 ? canary.errors() / canary.requests() : null;
    String summary = result.summary(badEvents);
    EvidenceOutcome evidence = result.outcome();
    if (evidence == EvidenceOutcome.ROLLBACK) {
      return new CheckOutcome(CheckResult.Fail, canaryRate, result.log10EvidenceWorse(), summary, false, carried,
          evidence);
    }
    // A reading that could not be used this time says nothing now, whatever was counted before.
    boolean nothingNow = result.update() == EvidenceUpdate.NO_DATA;
    if (nothingNow || evidence == EvidenceOutcome.NO_DATA || evidence == EvidenceOutcome.INCONCLUSIVE) {
      return new CheckOutcome(CheckResult.NoData, canaryRate, result.log10EvidenceWorse(),
          noDataReason(evidence, nothingNow) + summary, false, carried, evidence);
    }
    return new CheckOutcome(CheckResult.Pass, canaryRate, result.log10EvidenceWorse(), summary,
        evidence == EvidenceOutcome.NO_WORSE, carried, evidence);
  }

  private static String noDataReason(EvidenceOutcome evidence, boolean nothingNow) {
    if (nothingNow) {
      return "no usable reading this time: ";
    }
    return evidence == EvidenceOutcome.INCONCLUSIVE
        ? "no comparable traffic yet (one revision served no requests): "
        : "counting starts at this reading: ";
  }

  static dev.stagegate.analysis.stats.SequentialState decode(SequentialEvidence previous) {
    if (previous == null || previous.getEncoded() == null) {
      return null;
    }
    try {
      return dev.stagegate.analysis.stats.SequentialState.decode(previous.getEncoded());
    } catch (IllegalArgumentException e) {
      // A state written by another version starts the evidence afresh rather than guessing.
      return null;
    }
  }

  static SequentialEvidence encode(SequentialResult result) {
    SequentialEvidence s = new SequentialEvidence();
    s.setEncoded(result.state().encode());
    s.setDecision(result.decision().name());
    s.setEvidenceWorse(round(result.log10EvidenceWorse()));
    s.setRollbackAt(round(result.log10RollbackThreshold()));
    s.setEvidenceNoWorse(round(result.log10EvidenceNoWorse()));
    s.setNoWorseAt(round(result.log10NoWorseThreshold()));
    double rr = result.relativeRisk();
    s.setRelativeRisk(Double.isNaN(rr) ? "n/a" : Double.isInfinite(rr) ? "inf" : String.format(Locale.ROOT, "%.3g", rr));
    s.setFalseRollbackRate(result.state().falseRollbackRate());
    s.setFalsePromotionRate(result.state().falsePromotionRate());
    double detectable = result.detectableRelativeRisk();
    s.setDetectableRelativeRisk(Double.isFinite(detectable) ? String.format(Locale.ROOT, "%.3g", detectable) : "none yet");
    s.setRestarts(result.state().restarts());
    return s;
  }

  private static Double round(double v) {
    return Double.isFinite(v) ? Math.round(v * 1000) / 1000.0 : null;
  }

}
