package dev.stagegate.analysis;

import dev.stagegate.analysis.stats.SequentialState;
import dev.stagegate.api.release.SequentialEvidence;
import dev.stagegate.common.Numbers;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the planner does to a sequential check's stored evidence between evaluations, kept next to the statistics so
 * the planner never decodes the state itself.
 */
public final class SequentialCarry {
  private SequentialCarry() {}

  /**
   * Evidence carried into a stage at a new weight: NO_WORSE earned at the old weight says nothing about the new one
   * (more canary pods, other load) and must be re-earned; the rollback evidence carries on. Null stays null.
   */
  public static SequentialEvidence atNewWeight(SequentialSpec spec, SequentialEvidence carried) {
    if (carried == null || carried.getEncoded() == null) {
      return carried;
    }
    SequentialEvidence next = SequentialEvaluation.encode(spec.check().atNewWeight(SequentialEvaluation.decode(carried)));
    next.setLastRestart(carried.getLastRestart());
    return next;
  }

  /**
   * Evidence started over on purpose (a resume after the check failed): without it a ROLLBACK decision, which is
   * absorbing, would fail the check again at its next evaluation. The restart is counted in the state.
   */
  public static SequentialEvidence restarted(SequentialSpec spec, SequentialEvidence carried, String why) {
    SequentialEvidence next = SequentialEvaluation.encode(spec.check().restart(SequentialEvaluation.decode(carried)));
    next.setLastRestart(why);
    return next;
  }

  /**
   * The parameters that differ between the evidence stored before an evaluation and the evidence it returned, e.g.
   * "falseRollbackRate changed from 0.01 to 0.005": the evaluation then started the evidence over. Empty when nothing
   * changed, or when either side cannot be read (a state of another version restarts without a parameter change).
   */
  public static Optional<String> parameterChange(SequentialEvidence before, SequentialEvidence after) {
    SequentialState old = SequentialEvaluation.decode(before);
    SequentialState now = SequentialEvaluation.decode(after);
    if (old == null || now == null) {
      return Optional.empty();
    }
    List<String> changes = new ArrayList<>();
    // rho0 = 1 + maxRelativeIncrease; shown as the spec field the user edited.
    changed(changes, "maxRelativeIncrease", old.nullRateRatio() - 1, now.nullRateRatio() - 1,
        old.nullRateRatio() != now.nullRateRatio());
    changed(changes, "falseRollbackRate", old.falseRollbackRate(), now.falseRollbackRate(),
        old.falseRollbackRate() != now.falseRollbackRate());
    changed(changes, "falsePromotionRate", old.falsePromotionRate(), now.falsePromotionRate(),
        old.falsePromotionRate() != now.falsePromotionRate());
    return changes.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", changes));
  }

  private static void changed(List<String> changes, String field, double from, double to, boolean differs) {
    if (differs) {
      // Rounded for reading: 1.1 - 1 must show as 0.1, not 0.10000000000000009.
      changes.add(field + " changed from " + Numbers.format(from) + " to " + Numbers.format(to));
    }
  }

}
