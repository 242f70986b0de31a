package dev.stagegate.migration;

import dev.stagegate.analysis.CheckQuery;
import dev.stagegate.common.Numbers;
import dev.stagegate.migration.plan.KeySpan;
import dev.stagegate.migration.plan.VerifyOutcome;
import dev.stagegate.analysis.CheckEvaluator;
import dev.stagegate.analysis.CheckOutcome;
import dev.stagegate.analysis.MetricsSource;
import dev.stagegate.analysis.QueryContext;
import dev.stagegate.analysis.QueryTemplate;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.migration.CompareCheck;
import dev.stagegate.api.common.Durations;
import dev.stagegate.api.migration.PrometheusBound;
import dev.stagegate.api.migration.VerifyCheck;
import dev.stagegate.datacompare.CompareOptions;
import dev.stagegate.datacompare.ComparisonResult;
import dev.stagegate.datacompare.DataCompareException;
import dev.stagegate.datacompare.DataComparer;
import dev.stagegate.datacompare.KeyRange;
import dev.stagegate.datacompare.TableSide;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one verify check: a compare through the datacompare engine (checksum bisection), or a Prometheus
 * query judged like a Release check. Nothing here passes without evidence: an unreachable database, a
 * failed query or an empty Prometheus answer come back as Error or NoData.
 */
final class Verifier {
  static final int SAMPLES = 10;
  private static final Duration DEFAULT_COMPARE_TIMEOUT = Duration.ofMinutes(10);

  private final Clock clock;

  Verifier(Clock clock) {
    this.clock = clock;
  }

  /**
   * The check over every key migrated so far.
   *
   * @param field where the check is in the spec ({@code spec.verify[i]}), for messages that name it
   */
  VerifyOutcome verify(VerifyCheck check, String field, SecretDatabase source, SecretDatabase target,
      MetricsSource metrics, Map<String, String> variables, KeySpan keys) {
    Instant start = clock.instant();
    if (check.getPrometheus() != null) {
      return prometheus(check, field, metrics, variables, start);
    }
    CompareCheck compare = check.getCompare();
    if (keys.empty()) {
      return new VerifyOutcome(CheckResult.Pass, false, "no keys in " + keys, null,
          null, Duration.between(start, clock.instant()));
    }
    VerifyOutcome unreachable = reachable(start, source, target);
    if (unreachable != null) {
      return unreachable;
    }
    try {
      DataComparer comparer = comparer(compare);
      TableSide sourceSide = TableSide.source(source, compare.getSource().getTable(), compare.keyColumns(), compare.getColumns());
      TableSide targetSide = TableSide.target(target, compare.getTarget().getTable(), compare.keyColumns(), compare.getColumns());
      List<KeyRange> parts = TypedKeys.parts(comparer, sourceSide, keys);
      // Parallel loads are compared the same way: part by part, a bounded number of connections at a time.
      ComparisonResult result = parts.size() == 1 ? comparer.compare(sourceSide, targetSide, parts.get(0))
          : comparer.compareInParts(sourceSide, targetSide, parts, compare.maxConnectionsOrDefault());
      boolean pass = result.mismatches() <= compare.maxMismatchesOrDefault();
      String message = result.summary() + (parts.size() == 1 ? "" : "; compared in " + parts.size()
          + " parts, at most " + compare.maxConnectionsOrDefault() + " connections a side")
          + (pass ? "" : "; at most " + compare.maxMismatchesOrDefault() + " mismatches allowed");
      return new VerifyOutcome(pass ? CheckResult.Pass : CheckResult.Fail, false, message, null, result,
          result.duration());
    } catch (DataCompareException e) {
      String message = target.redact(source.redact(e.getMessage()));
      return VerifyOutcome.error(e.timedOut() ? pastTimeout("compare " + field + ".compare", compare, message)
          : "compare failed: " + message, Duration.between(start, clock.instant()));
    }
  }

  /** After a rollback: the target must hold no row over {@code keys}; every row there is extra. */
  VerifyOutcome expectEmpty(VerifyCheck check, String field, SecretDatabase target, KeySpan keys) {
    Instant start = clock.instant();
    CompareCheck compare = check.getCompare();
    VerifyOutcome unreachable = reachable(start, target);
    if (unreachable != null) {
      return unreachable;
    }
    try {
      DataComparer comparer = comparer(compare);
      TableSide side = TableSide.target(target, compare.getTarget().getTable(), compare.keyColumns(), compare.getColumns());
      ComparisonResult result = comparer.expectEmpty(side, TypedKeys.range(comparer, side, keys));
      boolean pass = result.targetRows() == 0;
      String message = pass ? "the target holds no row over keys " + keys
          : "the target still holds " + result.targetRows() + " rows over keys " + keys
              + " (e.g. " + result.samples().extra() + ")";
      return new VerifyOutcome(pass ? CheckResult.Pass : CheckResult.Fail, false, message, null, result,
          result.duration());
    } catch (DataCompareException e) {
      String message = target.redact(e.getMessage());
      return VerifyOutcome.error(e.timedOut()
          ? "rollback check: " + pastTimeout("compare " + field + ".compare", compare, message)
          : "rollback check failed: " + message, Duration.between(start, clock.instant()));
    }
  }

  /** PostgreSQL reports a statement cancelled at its timeout as "due to user request": say which timeout it was. */
  private static String pastTimeout(String what, CompareCheck compare, String detail) {
    String timeout = compare.getTimeout() == null ? DEFAULT_COMPARE_TIMEOUT.toMinutes() + "m (the default)"
        : compare.getTimeout();
    return what + " exceeded its timeout " + timeout + ": " + detail;
  }

  private VerifyOutcome prometheus(VerifyCheck check, String field, MetricsSource metrics,
      Map<String, String> variables, Instant start) {
    PrometheusBound bound = check.getPrometheus();
    // Our variables first ({{stage}} among them); the evaluator's own then find nothing left to fill.
    CheckQuery query = CheckQuery.bounded(QueryTemplate.render(bound.getQuery(), variables),
        Durations.parseOr(bound.getTimeout(), null), bound.getMin(), bound.getMax());
    CheckOutcome outcome = new CheckEvaluator(metrics).evaluate(query,
        new QueryContext(variables.get("name"), variables.get("namespace"), variables.get("stage"), null), null);
    String message = outcome.message() == null ? null : outcome.message().replace("for revision", "for stage");
    if (outcome.invalidQuery()) {
      // Asking again cannot help: a spec error naming where the query is written.
      return VerifyOutcome.invalidQuery("invalid query: " + queryField(check, field) + ": " + message,
          Duration.between(start, clock.instant()));
    }
    return new VerifyOutcome(outcome.result(), false, message, outcome.value(), null,
        Duration.between(start, clock.instant()));
  }

  private static String queryField(VerifyCheck check, String field) {
    String where = check.getTemplateRef() != null
        ? field + ".templateRef (" + check.getTemplateRef().describe() + ", its prometheus.query)"
        : field + ".prometheus.query";
    return where + " (check '" + check.getName() + "')";
  }

  private VerifyOutcome reachable(Instant start, SecretDatabase... databases) {
    for (SecretDatabase database : databases) {
      try (Connection ignored = database.open()) {
        // reachable
      } catch (SQLException e) {
        return VerifyOutcome.unreachable(e.getMessage(), Duration.between(start, clock.instant()));
      }
    }
    return null;
  }

  private DataComparer comparer(CompareCheck compare) {
    return new DataComparer(CompareOptions.defaults().withSampleLimit(SAMPLES)
        .withQueryTimeout(Durations.parseOr(compare.getTimeout(), DEFAULT_COMPARE_TIMEOUT)), clock);
  }

  /** Where a check is written in the spec: {@code spec.verify[i]}, by its (unique) name. */
  static String field(List<VerifyCheck> checks, String name) {
    for (int i = 0; i < checks.size(); i++) {
      if (name.equals(checks.get(i).getName())) {
        return "spec.verify[" + i + "]";
      }
    }
    return "check '" + name + "'";
  }

  static Map<String, String> variables(String name, String namespace, String stage) {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("name", name);
    values.put("namespace", namespace);
    values.put("stage", stage == null ? "" : stage);
    return values;
  }

}
