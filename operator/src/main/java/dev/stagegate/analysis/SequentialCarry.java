package dev.stagegate.analysis;

import dev.stagegate.analysis.stats.SequentialErrorCheck;
import dev.stagegate.api.release.SequentialCheck;
import dev.stagegate.api.release.SequentialEvidence;

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
  public static SequentialEvidence atNewWeight(SequentialCheck spec, SequentialEvidence carried) {
    if (carried == null || carried.getEncoded() == null) {
      return carried;
    }
    return SequentialEvaluation.encode(check(spec).atNewWeight(SequentialEvaluation.decode(carried)));
  }

  /**
   * Evidence started over on purpose (a resume after the check failed): without it a ROLLBACK decision, which is
   * absorbing, would fail the check again at its next evaluation. The restart is counted in the state.
   */
  public static SequentialEvidence restarted(SequentialCheck spec, SequentialEvidence carried) {
    return SequentialEvaluation.encode(check(spec).restart(SequentialEvaluation.decode(carried)));
  }

  private static SequentialErrorCheck check(SequentialCheck spec) {
    return new SequentialErrorCheck(SequentialEvaluation.config(spec));
  }
}
