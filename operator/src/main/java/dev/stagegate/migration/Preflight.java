package dev.stagegate.migration;

import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.common.Numbers;
import dev.stagegate.migration.plan.Boundaries;
import dev.stagegate.migration.plan.GuardOutcome;
import dev.stagegate.migration.plan.KeySpan;
import dev.stagegate.migration.plan.PreflightOutcome;
import dev.stagegate.migration.plan.StageRange;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.migration.CompareCheck;
import dev.stagegate.api.migration.DataMigrationSpec;
import dev.stagegate.api.migration.DatabaseSide;
import dev.stagegate.api.common.Durations;
import dev.stagegate.api.migration.Guard;
import dev.stagegate.api.migration.MigrationStage;
import dev.stagegate.api.migration.SqlGuard;
import dev.stagegate.api.migration.VerifyCheck;
import dev.stagegate.datacompare.CompareOptions;
import dev.stagegate.datacompare.ComparisonResult;
import dev.stagegate.datacompare.DataCompareException;
import dev.stagegate.datacompare.DataComparer;
import dev.stagegate.datacompare.KeyRange;
import dev.stagegate.datacompare.TableSide;
import dev.stagegate.sql.SingleStatement;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything checked before the first write, in order: the spec against both schemas, the guards, the
 * stage boundaries from the source's row quantiles, and that the target holds nothing yet in the range
 * (an undo would otherwise delete rows the migration did not write). Read-only throughout.
 */
final class Preflight {
  private static final Duration DEFAULT_GUARD_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration BOUNDARY_TIMEOUT = Duration.ofMinutes(10);

  private final DataMigrationSpec spec;
  private final SecretDatabase source;
  private final SecretDatabase target;
  private final Clock clock;

  Preflight(DataMigrationSpec spec, SecretDatabase source, SecretDatabase target, Clock clock) {
    this.spec = spec;
    this.source = source;
    this.target = target;
    this.clock = clock;
  }

  PreflightOutcome run() {
    ReadOnlySession src;
    try {
      src = ReadOnlySession.open(source);
    } catch (SQLException e) {
      return unreachable(source, e);
    }
    try (ReadOnlySession s = src) {
      ReadOnlySession tgt;
      try {
        tgt = ReadOnlySession.open(target);
      } catch (SQLException e) {
        return unreachable(target, e);
      }
      try (ReadOnlySession t = tgt) {
        return run(s, t);
      }
    } catch (DatabaseFailure e) {
      return e.blocked();
    } catch (SQLException e) {
      if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
        return new PreflightOutcome.Blocked(MigrationReasons.Cause.DatabaseUnreachable, source.redact(e.getMessage()), List.of());
      }
      return new PreflightOutcome.Blocked(MigrationReasons.Cause.NoEvidence, "checking before the first write failed: "
          + target.redact(source.redact(e.getMessage())), List.of());
    }
  }

  private PreflightOutcome run(ReadOnlySession src, ReadOnlySession tgt) throws SQLException {
    List<String> errors = new ArrayList<>();
    String key = spec.getPartition().getKey();
    Optional<SchemaProbe.Column> keyColumn = partitionKey(src, errors);
    boolean typed = keyColumn.isPresent() && TypedPartition.applies(spec.getPartition(), keyColumn.get().integer());
    for (int i = 0; i < spec.verifyOrEmpty().size(); i++) {
      CompareCheck compare = spec.verifyOrEmpty().get(i).getCompare();
      if (compare != null) {
        compareSchema("spec.verify[" + i + "].compare", compare, src, tgt, !typed, errors);
      }
    }
    if (typed && errors.isEmpty()) {
      errors.addAll(typed().problems());
    }
    for (int i = 0; i < spec.guardsOrEmpty().size(); i++) {
      SqlGuard sql = spec.guardsOrEmpty().get(i).getSql();
      String field = "spec.guards[" + i + "].sql.query: ";
      SingleStatement.problem(sql.getQuery(), (sql.getOn() == DatabaseSide.target ? tgt : src).engine())
          .ifPresent(p -> errors.add(field + p));
    }
    if (!errors.isEmpty()) {
      return new PreflightOutcome.Invalid(errors);
    }

    List<GuardOutcome> guards = new ArrayList<>();
    for (Guard guard : spec.guardsOrEmpty()) {
      guards.add(guard(guard, guard.getSql().getOn() == DatabaseSide.target ? tgt : src,
          guard.getSql().getOn() == DatabaseSide.target ? target : source));
    }
    List<String> failed = guards.stream().filter(g -> g.result() == CheckResult.Fail)
        .map(g -> "guard " + g.name() + " failed: expected " + g.expected() + ", saw " + g.observed()).toList();
    if (!failed.isEmpty()) {
      return new PreflightOutcome.Refused(MigrationReasons.Cause.GuardFailed, String.join("; ", failed), guards);
    }
    Optional<GuardOutcome> erred = guards.stream().filter(g -> g.result() != CheckResult.Pass).findFirst();
    if (erred.isPresent()) {
      return new PreflightOutcome.Blocked(MigrationReasons.Cause.GuardError, "guard " + erred.get().name()
          + " could not be evaluated: " + erred.get().message(), guards);
    }

    Boundaries boundaries = typed ? typedBoundaries() : boundaries(src, keyColumn.orElseThrow().name());
    if (boundaries == null) {
      return new PreflightOutcome.Refused(MigrationReasons.Cause.EmptySource, "the source table " + spec.getPartition().getTable()
          + " has no rows to migrate", guards);
    }
    if (ParallelParts.wanted(spec)) {
      try {
        boundaries = ParallelParts.cut(spec, source, comparer(BOUNDARY_TIMEOUT), boundaries);
      } catch (DataCompareException e) {
        throw new IllegalStateException(source.redact(DatabaseFailure.throwIfDatabase(source, "cutting parallel parts", e)
            .getMessage()));
      }
    }
    KeySpan keys = boundaries.keys();
    for (VerifyCheck check : spec.verifyOrEmpty()) {
      if (check.getCompare() == null) {
        continue;
      }
      ComparisonResult existing = expectEmpty(check, keys);
      if (existing.targetRows() > 0) {
        return new PreflightOutcome.Refused(MigrationReasons.Cause.TargetNotEmpty, "the target table " + check.getCompare().getTarget().getTable()
            + " (check " + check.getName() + ") already holds " + existing.targetRows() + " rows over keys "
            + keys + " (e.g. " + existing.samples().extra() + "); an undo would delete them",
            guards);
      }
    }
    return new PreflightOutcome.Ready(guards, boundaries);
  }

  private Optional<SchemaProbe.Column> partitionKey(ReadOnlySession src, List<String> errors) throws SQLException {
    String table = spec.getPartition().getTable();
    Optional<Map<String, SchemaProbe.Column>> columns = SchemaProbe.columns(src, table);
    if (columns.isEmpty()) {
      errors.add("spec.partition.table: table " + table + " does not exist in the " + source.description()
          + " (or cannot be read)");
      return Optional.empty();
    }
    SchemaProbe.Column key = columns.get().get(spec.getPartition().getKey().toLowerCase(Locale.ROOT));
    if (key == null) {
      errors.add("spec.partition.key: column " + spec.getPartition().getKey() + " does not exist in table " + table
          + " of the " + source.description());
      return Optional.empty();
    }
    // Any other type goes to TypedPartition, whose comparison engine refuses what it cannot order alike on both sides.
    return Optional.of(key);
  }

  private void compareSchema(String field, CompareCheck compare, ReadOnlySession src, ReadOnlySession tgt,
      boolean integerKey, List<String> errors) throws SQLException {
    side(field + ".source", compare.getSource().getTable(), compare, src, source, integerKey, errors);
    side(field + ".target", compare.getTarget().getTable(), compare, tgt, target, integerKey, errors);
  }

  private static void side(String field, String table, CompareCheck compare, ReadOnlySession session,
      SecretDatabase database, boolean integerKey, List<String> errors) throws SQLException {
    Optional<Map<String, SchemaProbe.Column>> columns = SchemaProbe.columns(session, table);
    if (columns.isEmpty()) {
      errors.add(field + ".table: table " + table + " does not exist in the " + database.description()
          + " (or cannot be read)");
      return;
    }
    SchemaProbe.Column key = columns.get().get(compare.getKey().toLowerCase(Locale.ROOT));
    if (key == null) {
      errors.add(field.replaceFirst("\\.(source|target)$", "") + ".key: column " + compare.getKey()
          + " does not exist in table " + table + " of the " + database.description());
    } else if (integerKey && !key.integer()) {
      errors.add(field.replaceFirst("\\.(source|target)$", "") + ".key: column " + key.name() + " of " + table
          + " in the " + database.description() + " is " + key.typeName() + "; an integer key is required");
    }
    List<String> absent = compare.getColumns().stream()
        .filter(c -> !columns.get().containsKey(c.toLowerCase(Locale.ROOT))).toList();
    if (!absent.isEmpty()) {
      errors.add(field.replaceFirst("\\.(source|target)$", "") + ".columns: " + String.join(", ", absent)
          + (absent.size() == 1 ? " does" : " do") + " not exist in table " + table + " of the " + database.description());
    }
  }

  // ----- guards

  private GuardOutcome guard(Guard guard, ReadOnlySession session, SecretDatabase database) {
    SqlGuard sql = guard.getSql();
    String expected = expected(sql);
    String observed;
    try {
      observed = ReadOnlyStatement.firstValue(session, sql.getQuery(),
          Durations.parseOr(sql.getTimeout(), DEFAULT_GUARD_TIMEOUT));
    } catch (IllegalArgumentException e) {
      // The validator refuses this first; here only if it was bypassed. The text was never sent.
      return new GuardOutcome(guard.getName(), CheckResult.Error, null, expected, "not run: " + e.getMessage());
    } catch (SQLException e) {
      return new GuardOutcome(guard.getName(), CheckResult.Error, null, expected,
          "query on the " + database.description() + " failed: " + database.redact(e.getMessage()));
    }
    if (observed == null) {
      return new GuardOutcome(guard.getName(), CheckResult.Fail, "(no rows)", expected, "the query returned no row");
    }
    String shown = observed.length() > 200 ? observed.substring(0, 200) + "..." : observed;
    if (sql.getEquals() != null) {
      boolean pass = sql.getEquals().equals(observed);
      return new GuardOutcome(guard.getName(), pass ? CheckResult.Pass : CheckResult.Fail, shown, expected,
          (pass ? "returned " : "expected " + expected + ", saw ") + shown);
    }
    BigDecimal value;
    try {
      value = new BigDecimal(observed.trim());
    } catch (NumberFormatException e) {
      return new GuardOutcome(guard.getName(), CheckResult.Fail, shown, expected, "expected a number " + expected
          + ", saw '" + shown + "'");
    }
    boolean tooLow = sql.getMin() != null && value.compareTo(BigDecimal.valueOf(sql.getMin())) < 0;
    boolean tooHigh = sql.getMax() != null && value.compareTo(BigDecimal.valueOf(sql.getMax())) > 0;
    boolean pass = !tooLow && !tooHigh;
    return new GuardOutcome(guard.getName(), pass ? CheckResult.Pass : CheckResult.Fail, shown, expected,
        (pass ? "returned " : "expected " + expected + ", saw ") + shown);
  }

  private static String expected(SqlGuard sql) {
    if (sql.getEquals() != null) {
      return "= " + sql.getEquals();
    }
    List<String> parts = new ArrayList<>();
    if (sql.getMin() != null) {
      parts.add(">= " + Numbers.format(sql.getMin()));
    }
    if (sql.getMax() != null) {
      parts.add("<= " + Numbers.format(sql.getMax()));
    }
    return String.join(" and ", parts);
  }

  // ----- boundaries

  /**
   * Stage k ends after ceil(N * percent_k / 100) rows in key order, so 1% is 1% of the rows whatever the
   * gaps in the key; the last stage ends after the largest key. Null when the source has no row.
   */
  private Boundaries boundaries(ReadOnlySession src, String keyName) throws SQLException {
    String table = spec.getPartition().getTable();
    String key = src.quote(keyName);
    try {
      long total;
      long min;
      long max;
      try (Statement st = src.statement(BOUNDARY_TIMEOUT);
          ResultSet rs = st.executeQuery("SELECT count(*), min(" + key + "), max(" + key + ") FROM " + table)) {
        rs.next();
        total = rs.getLong(1);
        if (total == 0) {
          return null;
        }
        min = rs.getLong(2);
        max = rs.getLong(3);
      }
      if (max == Long.MAX_VALUE) {
        throw new SQLException("the largest key is " + max + "; the last stage's end (key + 1) does not fit", "22003");
      }
      List<MigrationStage> stages = spec.getStages();
      List<StageRange> ranges = new ArrayList<>();
      long from = min;
      String nth = "SELECT " + key + " FROM " + table + " ORDER BY " + key + " LIMIT 1 OFFSET ?";
      String count = "SELECT count(*) FROM " + table + " WHERE " + key + " >= ? AND " + key + " < ?";
      for (int i = 0; i < stages.size(); i++) {
        long to;
        long rows = (long) Math.ceil(total * (stages.get(i).getPercent() / 100.0));
        if (i == stages.size() - 1 || rows >= total) {
          to = max + 1;
        } else {
          to = Math.max(from, single(src, nth, Math.max(1, rows)));
        }
        ranges.add(new StageRange(from, to, from < to ? single(src, count, from, to) : 0));
        from = to;
      }
      return new Boundaries(total, ranges);
    } finally {
      src.connection().rollback();
    }
  }

  private static long single(ReadOnlySession src, String sql, long... params) throws SQLException {
    try (PreparedStatement ps = src.connection().prepareStatement(sql)) {
      ps.setQueryTimeout((int) BOUNDARY_TIMEOUT.toSeconds());
      for (int i = 0; i < params.length; i++) {
        ps.setLong(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private TypedPartition typed() {
    return new TypedPartition(spec, source, target, comparer(BOUNDARY_TIMEOUT));
  }

  private DataComparer comparer(Duration timeout) {
    return new DataComparer(CompareOptions.defaults().withQueryTimeout(timeout), clock);
  }

  private Boundaries typedBoundaries() {
    try {
      return typed().boundaries();
    } catch (DataCompareException e) {
      throw new IllegalStateException(source.redact(DatabaseFailure.throwIfDatabase(source, "computing the stage boundaries", e)
          .getMessage()));
    }
  }

  private ComparisonResult expectEmpty(VerifyCheck check, KeySpan keys) {
    CompareCheck compare = check.getCompare();
    DataComparer comparer = new DataComparer(CompareOptions.defaults()
        .withQueryTimeout(Durations.parseOr(compare.getTimeout(), Duration.ofMinutes(10))), clock);
    try {
      TableSide side = TableSide.target(target, compare.getTarget().getTable(), compare.keyColumns(), compare.getColumns());
      return comparer.expectEmpty(side, TypedKeys.range(comparer, side, keys));
    } catch (DataCompareException e) {
      throw new IllegalStateException(target.redact(DatabaseFailure.throwIfDatabase(target, "checking that the target is empty", e)
          .getMessage()));
    }
  }

  private static PreflightOutcome unreachable(SecretDatabase database, SQLException e) {
    return new PreflightOutcome.Blocked(MigrationReasons.Cause.DatabaseUnreachable, database.redact(e.getMessage()), List.of());
  }
}
