package dev.stagegate.migration.plan;

import dev.stagegate.analysis.PrometheusUrl;
import dev.stagegate.api.common.FailurePolicy;
import dev.stagegate.api.common.SecretRef;
import dev.stagegate.api.migration.CompareCheck;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationSpec;
import dev.stagegate.api.migration.DatabaseRef;
import dev.stagegate.api.migration.Guard;
import dev.stagegate.api.migration.JobTemplate;
import dev.stagegate.api.migration.MigrationGate;
import dev.stagegate.api.migration.MigrationStage;
import dev.stagegate.api.migration.Partition;
import dev.stagegate.api.migration.PrometheusBound;
import dev.stagegate.api.migration.SqlGuard;
import dev.stagegate.api.migration.TableRef;
import dev.stagegate.api.migration.VerifyCheck;
import dev.stagegate.common.DurationRules;
import dev.stagegate.common.NotifyRules;
import dev.stagegate.common.StageRules;
import dev.stagegate.link.GateRules;
import dev.stagegate.sql.SingleStatement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The operator's own check of a DataMigration spec, before anything touches a database. The CRD schema
 * rejects most of this at admission, but the operator cannot rely on it (an older CRD, a mock server), and
 * some rules (the Secret's namespace) no schema can say. Each message names the field. What needs the
 * databases (tables, columns, key type, the Secret's keys) is checked by {@link Preflight}.
 */
public final class MigrationValidator {
  private static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";
  private static final String STAGE_NAME = "^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$";

  private MigrationValidator() {}

  public static List<String> validate(DataMigration migration) {
    List<String> errors = new ArrayList<>();
    DataMigrationSpec spec = migration.getSpec();
    if (spec == null) {
      errors.add("spec: is required");
      return errors;
    }
    String namespace = migration.getMetadata().getNamespace();
    database("spec.source", spec.getSource(), namespace, errors);
    database("spec.target", spec.getTarget(), namespace, errors);
    partition(spec.getPartition(), errors);
    job("spec.worker", spec.getWorker(), true, errors);
    job("spec.undo", spec.getUndo(), spec.failurePolicy() == FailurePolicy.Rollback, errors);
    job("spec.backup", spec.getBackup(), false, errors);
    stages(spec.getStages(), errors);
    guards(spec.getGuards(), errors);
    verify(spec.getVerify(), errors);
    List<MigrationGate> gates = spec.gatesOrEmpty();
    for (int i = 0; i < gates.size(); i++) {
      MigrationGate gate = gates.get(i);
      GateRules.check("spec.gates[" + i + "]", gate.getStage(), spec.getStages() == null ? 0 : spec.getStages().size(),
          "release", gate.getRelease(), gate.getUntil(), "Promoted", errors);
    }
    if (spec.getPrometheus() != null) {
      String url = spec.getPrometheus().getUrl();
      if (url != null) {
        PrometheusUrl.problem(url).ifPresent(p -> errors.add("spec.prometheus.url: " + p));
      }
      secretRef("spec.prometheus.secretRef", spec.getPrometheus().getSecretRef(), namespace, errors);
    }
    NotifyRules.check(spec.getNotify(), errors);
    return errors;
  }

  private static void database(String field, DatabaseRef ref, String namespace, List<String> errors) {
    if (ref == null || ref.getSecretRef() == null) {
      errors.add(field + ".secretRef: is required");
      return;
    }
    secretRef(field + ".secretRef", ref.getSecretRef(), namespace, errors);
  }

  private static void secretRef(String field, SecretRef ref, String namespace, List<String> errors) {
    if (ref == null) {
      return;
    }
    if (ref.getName() == null || ref.getName().isBlank()) {
      errors.add(field + ".name: is required");
    }
    if (ref.getNamespace() != null && !ref.getNamespace().equals(namespace)) {
      errors.add(field + ".namespace: the Secret must be in the DataMigration's own namespace '" + namespace
          + "', got '" + ref.getNamespace() + "'");
    }
  }

  private static void partition(Partition partition, List<String> errors) {
    if (partition == null) {
      errors.add("spec.partition: is required");
      return;
    }
    table("spec.partition.table", partition.getTable(), errors);
    column("spec.partition.key", partition.getKey(), errors);
    thenBy("spec.partition.thenBy", partition.getThenBy(), errors);
  }

  /** Further key columns: plain identifiers, at most three (a composite key of up to four columns). */
  private static void thenBy(String field, List<String> columns, List<String> errors) {
    if (columns == null) {
      return;
    }
    if (columns.size() > 3) {
      errors.add(field + ": at most 3 further key columns");
    }
    for (int i = 0; i < columns.size(); i++) {
      column(field + "[" + i + "]", columns.get(i), errors);
    }
  }

  private static void job(String field, JobTemplate job, boolean required, List<String> errors) {
    if (job == null) {
      if (required) {
        errors.add(field + ": is required" + (field.equals("spec.undo") ? " with onFailure: Rollback" : ""));
      }
      return;
    }
    if (job.getTemplate() == null || job.getTemplate().getSpec() == null
        || job.getTemplate().getSpec().getContainers() == null || job.getTemplate().getSpec().getContainers().isEmpty()) {
      errors.add(field + ".template.spec.containers: at least one container is required");
    }
    if (job.getBackoffLimit() != null && job.getBackoffLimit() < 0) {
      errors.add(field + ".backoffLimit: must not be negative");
    }
    String restart = job.getTemplate() == null || job.getTemplate().getSpec() == null ? null
        : job.getTemplate().getSpec().getRestartPolicy();
    if (restart != null && !restart.equals("Never") && !restart.equals("OnFailure")) {
      errors.add(field + ".template.spec.restartPolicy: a Job needs Never or OnFailure, got '" + restart + "'");
    }
  }

  private static void stages(List<MigrationStage> stages, List<String> errors) {
    StageRules.check(stages, MigrationStage::getName, MigrationStage::getPercent, "percent", STAGE_NAME,
        "a DNS label of at most 32 characters", errors);
  }

  private static void guards(List<Guard> guards, List<String> errors) {
    if (guards == null) {
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < guards.size(); i++) {
      Guard guard = guards.get(i);
      String field = "spec.guards[" + i + "]";
      name(field, guard.getName(), names, "guard", errors);
      SqlGuard sql = guard.getSql();
      if (sql == null) {
        errors.add(field + ".sql: is required");
        continue;
      }
      if (sql.getOn() == null) {
        errors.add(field + ".sql.on: must be source or target");
      }
      if (blank(sql.getQuery())) {
        errors.add(field + ".sql.query: must not be empty");
      } else {
        // The engine is in the Secret: refuse what is chained on every engine now, the rest in the preflight.
        SingleStatement.problemOnEveryEngine(sql.getQuery()).ifPresent(p -> errors.add(field + ".sql.query: " + p));
      }
      boolean bounded = sql.getMin() != null || sql.getMax() != null;
      if (sql.getEquals() == null && !bounded) {
        errors.add(field + ".sql: needs equals, min or max");
      }
      if (sql.getEquals() != null && bounded) {
        errors.add(field + ".sql: has either equals or min/max, not both");
      }
      if (sql.getMin() != null && sql.getMax() != null && sql.getMin() > sql.getMax()) {
        errors.add(field + ".sql.min: must not exceed max");
      }
      DurationRules.check(field + ".sql.timeout", sql.getTimeout(), DurationRules.GUARD_TIMEOUT, errors);
    }
  }

  private static void verify(List<VerifyCheck> checks, List<String> errors) {
    if (checks == null) {
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < checks.size(); i++) {
      VerifyCheck check = checks.get(i);
      String field = "spec.verify[" + i + "]";
      if (check.getTemplateRef() != null) {
        // Resolved by TemplatedMigration, which reports its refusals and name collisions; a missing one holds.
        if (check.unresolvedTemplate()) {
          continue;
        }
      } else {
        name(field, check.getName(), names, "verify check", errors);
      }
      DurationRules.check(field + ".interval", check.getInterval(), DurationRules.INTERVAL, errors);
      if (check.getFailureLimit() != null && check.getFailureLimit() < 1) {
        errors.add(field + ".failureLimit: must be at least 1, got " + check.getFailureLimit());
      }
      if ((check.getCompare() == null) == (check.getPrometheus() == null)) {
        errors.add(field + ": needs exactly one of compare or prometheus");
        continue;
      }
      if (check.getCompare() != null) {
        compare(field + ".compare", check.getCompare(), errors);
      } else {
        prometheus(field + ".prometheus", check.getPrometheus(), errors);
      }
    }
  }

  private static void compare(String field, CompareCheck compare, List<String> errors) {
    tableRef(field + ".source", compare.getSource(), errors);
    tableRef(field + ".target", compare.getTarget(), errors);
    column(field + ".key", compare.getKey(), errors);
    thenBy(field + ".thenBy", compare.getThenBy(), errors);
    if (compare.getColumns() == null || compare.getColumns().isEmpty()) {
      errors.add(field + ".columns: at least one column is required");
    } else {
      for (int c = 0; c < compare.getColumns().size(); c++) {
        column(field + ".columns[" + c + "]", compare.getColumns().get(c), errors);
      }
    }
    if (compare.getMaxMismatches() != null && compare.getMaxMismatches() < 0) {
      errors.add(field + ".maxMismatches: must not be negative");
    }
    DurationRules.check(field + ".timeout", compare.getTimeout(), DurationRules.COMPARE_TIMEOUT, errors);
  }

  private static void prometheus(String field, PrometheusBound bound, List<String> errors) {
    if (blank(bound.getQuery())) {
      errors.add(field + ".query: must not be empty");
    }
    if (bound.getMin() == null && bound.getMax() == null) {
      errors.add(field + ": needs min or max");
    }
    if (bound.getMin() != null && bound.getMax() != null && bound.getMin() > bound.getMax()) {
      errors.add(field + ".min: must not exceed max");
    }
    DurationRules.check(field + ".timeout", bound.getTimeout(), DurationRules.QUERY_TIMEOUT, errors);
  }

  private static void tableRef(String field, TableRef ref, List<String> errors) {
    if (ref == null) {
      errors.add(field + ".table: is required");
      return;
    }
    table(field + ".table", ref.getTable(), errors);
  }

  private static void table(String field, String value, List<String> errors) {
    if (value == null || !value.matches(Partition.TABLE_PATTERN)) {
      errors.add(field + ": must be a plain SQL name (letters, digits, _), optionally schema.table, got "
          + shown(value));
    }
  }

  private static void column(String field, String value, List<String> errors) {
    if (value == null || !value.matches(Partition.COLUMN_PATTERN)) {
      errors.add(field + ": must be a plain SQL column name (letters, digits, _), got " + shown(value));
    }
  }

  private static void name(String field, String name, Set<String> names, String what, List<String> errors) {
    if (name == null || !name.matches(DNS_LABEL)) {
      errors.add(field + ".name: must be a DNS label, got '" + name + "'");
    } else if (!names.add(name)) {
      errors.add(field + ".name: '" + name + "' is used by an earlier " + what);
    }
  }

  private static String shown(String value) {
    if (value == null) {
      return "nothing";
    }
    String cut = value.length() > 64 ? value.substring(0, 64) + "..." : value;
    return "'" + cut.replaceAll("\\p{Cntrl}", "?") + "'";
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
