package dev.stagegate.analysis;

import dev.stagegate.analysis.stats.ErrorBudget;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.ReleaseSpec;
import dev.stagegate.api.release.SequentialCheck;
import dev.stagegate.api.release.SequentialLatencyCheck;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Release's {@code spec.analysis.falseRollbackRate} split across its sequential checks (errors and latency) by {@link ErrorBudget}: a
 * check with its own falseRollbackRate keeps it, the others share the rest equally. By the union bound the Release as a
 * whole then rolls back a good canary with probability at most the Release's rate. Without a Release-level rate every
 * check keeps its own (default 0.01), as before.
 */
public final class SequentialBudget {
  private SequentialBudget() {}

  /**
   * The sequential spec a check is judged with: its own, or a copy carrying its share of the Release's budget. Null for
   * a check that is not a sequential errors check. A budget the validator refuses is not applied (the Release is not
   * run then).
   */
  public static SequentialCheck effective(ReleaseSpec spec, Check check) {
    SequentialCheck own = check.getSequential();
    Double share = own == null || own.getFalseRollbackRate() != null ? null : share(spec, check);
    return share == null ? own : own.withFalseRollbackRate(share);
  }

  /** As {@link #effective} for a sequential latency check. */
  public static SequentialLatencyCheck effectiveLatency(ReleaseSpec spec, Check check) {
    SequentialLatencyCheck own = check.getSequentialLatency();
    Double share = own == null || own.getFalseRollbackRate() != null ? null : share(spec, check);
    return share == null ? own : own.withFalseRollbackRate(share);
  }

  /** What a check of either sequential kind runs with, its share applied; null for a check that is not sequential. */
  public static SequentialSpec spec(ReleaseSpec spec, Check check) {
    if (check.getSequential() != null) {
      return SequentialSpec.errors(effective(spec, check));
    }
    return check.getSequentialLatency() == null ? null : SequentialSpec.latency(effectiveLatency(spec, check));
  }

  private static Double share(ReleaseSpec spec, Check check) {
    if (releaseRate(spec) != null && split(spec) instanceof ErrorBudget.Rates rates) {
      return rates.perCheck().get(check.getName());
    }
    return null;
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
      if (check.getName() == null) {
        continue;
      }
      if (check.getSequential() != null) {
        explicit.put(check.getName(), check.getSequential().getFalseRollbackRate());
      } else if (check.getSequentialLatency() != null) {
        explicit.put(check.getName(), check.getSequentialLatency().getFalseRollbackRate());
      }
    }
    return ErrorBudget.split(releaseRate(spec), explicit);
  }

  private static Double releaseRate(ReleaseSpec spec) {
    return spec == null || spec.getAnalysis() == null ? null : spec.getAnalysis().getFalseRollbackRate();
  }
}
