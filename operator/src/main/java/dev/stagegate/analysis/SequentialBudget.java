package dev.stagegate.analysis;

import dev.stagegate.analysis.stats.ErrorBudget;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.ReleaseSpec;
import dev.stagegate.api.release.SequentialCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Release's {@code spec.analysis.falseRollbackRate} split across its sequential checks by {@link ErrorBudget}: a
 * check with its own falseRollbackRate keeps it, the others share the rest equally. By the union bound the Release as a
 * whole then rolls back a good canary with probability at most the Release's rate. Without a Release-level rate every
 * check keeps its own (default 0.01), as before.
 */
public final class SequentialBudget {
  private SequentialBudget() {}

  /**
   * The sequential spec a check is judged with: its own, or a copy carrying its share of the Release's budget. Null for
   * a check that is not sequential. A budget the validator refuses is not applied (the Release is not run then).
   */
  public static SequentialCheck effective(ReleaseSpec spec, Check check) {
    SequentialCheck own = check.getSequential();
    if (own == null || own.getFalseRollbackRate() != null || releaseRate(spec) == null) {
      return own;
    }
    if (split(spec) instanceof ErrorBudget.Rates rates && rates.perCheck().get(check.getName()) != null) {
      return own.withFalseRollbackRate(rates.perCheck().get(check.getName()));
    }
    return own;
  }

  /** Why the Release-level budget cannot be split, naming the field; empty when it can (or is not set). */
  public static Optional<String> problem(ReleaseSpec spec) {
    if (releaseRate(spec) == null) {
      return Optional.empty();
    }
    return split(spec) instanceof ErrorBudget.Invalid invalid ? Optional.of(invalid.message()) : Optional.empty();
  }

  private static ErrorBudget.Split split(ReleaseSpec spec) {
    Map<String, Double> explicit = new LinkedHashMap<>();
    List<Check> checks = spec.getChecks() == null ? List.of() : spec.getChecks();
    for (Check check : checks) {
      if (check.getSequential() != null && check.getName() != null) {
        explicit.put(check.getName(), check.getSequential().getFalseRollbackRate());
      }
    }
    return ErrorBudget.split(releaseRate(spec), explicit);
  }

  private static Double releaseRate(ReleaseSpec spec) {
    return spec == null || spec.getAnalysis() == null ? null : spec.getAnalysis().getFalseRollbackRate();
  }
}
