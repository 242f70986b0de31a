package dev.stagegate.testing;

import dev.stagegate.api.common.Approval;
import dev.stagegate.api.migration.CompareCheck;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationSpec;
import dev.stagegate.api.migration.DatabaseRef;
import dev.stagegate.api.migration.DatabaseSide;
import dev.stagegate.api.common.FailurePolicy;
import dev.stagegate.api.migration.Guard;
import dev.stagegate.api.migration.JobTemplate;
import dev.stagegate.api.migration.MigrationStage;
import dev.stagegate.api.migration.Partition;
import dev.stagegate.api.migration.PrometheusBound;
import dev.stagegate.api.common.SecretRef;
import dev.stagegate.api.migration.SqlGuard;
import dev.stagegate.api.migration.TableRef;
import dev.stagegate.api.migration.VerifyCheck;
import dev.stagegate.api.templates.CheckTemplateRef;
import dev.stagegate.api.templates.TemplateKind;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds DataMigration objects for tests, shaped like the issue's `members-2025`:
 * {@code DataMigrations.named("members-2025", "portal").stage("pilot", 1).manualStage("ramp", 10).stage("full", 100)}.
 */
public final class DataMigrations {
  public static final List<String> MEMBER_COLUMNS = List.of("member_id", "full_name", "email", "plan_code", "enrolled_on");

  private final DataMigration migration = new DataMigration();
  private final List<MigrationStage> stages = new ArrayList<>();
  private final List<Guard> guards = new ArrayList<>();
  private final List<VerifyCheck> verify = new ArrayList<>();

  private DataMigrations(String name, String namespace) {
    migration.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    DataMigrationSpec spec = new DataMigrationSpec();
    spec.setSource(new DatabaseRef(new SecretRef("legacy-members-db")));
    spec.setTarget(new DatabaseRef(new SecretRef("portal-db")));
    spec.setPartition(new Partition("members", "member_id"));
    spec.setWorker(job("loader", List.of()));
    spec.setUndo(job("undo", List.of()));
    migration.setSpec(spec);
  }

  public static DataMigrations named(String name, String namespace) {
    return new DataMigrations(name, namespace);
  }

  /** The example: pilot 1%, ramp 10% (Manual), full 100%, both guards, a clean compare of members. */
  public static DataMigrations members2025(String namespace) {
    return named("members-2025", namespace)
        .guardEquals("source-is-production", DatabaseSide.source, "select current_database()", "members_prod")
        .guardMax("no-test-fixtures", DatabaseSide.source,
            "select count(*) from members where email like '%@example.com'", 0)
        .stage("pilot", 1).manualStage("ramp", 10).stage("full", 100)
        .compare("members-match", 0);
  }

  /** A Job template whose single container has the given environment; the role goes into TEST_ROLE. */
  public static JobTemplate job(String role, List<EnvVar> env) {
    List<EnvVar> vars = new ArrayList<>(env);
    vars.add(new EnvVarBuilder().withName("TEST_ROLE").withValue(role).build());
    JobTemplate template = new JobTemplate();
    template.setTemplate(new PodTemplateSpecBuilder()
        .withNewSpec().addNewContainer().withName(role).withImage("example.com/members-" + role + ":1")
        .withEnv(vars).endContainer().endSpec().build());
    template.setBackoffLimit(2);
    return template;
  }

  /** An env var filled from a Secret key, as a real loader pod would read its database URL. */
  public static EnvVar fromSecret(String name, String secret, String key) {
    return new EnvVarBuilder().withName(name).withNewValueFrom().withNewSecretKeyRef(key, secret, false)
        .endValueFrom().build();
  }

  public DataMigrations source(String secret) {
    migration.getSpec().setSource(new DatabaseRef(new SecretRef(secret)));
    return this;
  }

  public DataMigrations target(String secret) {
    migration.getSpec().setTarget(new DatabaseRef(new SecretRef(secret)));
    return this;
  }

  public DataMigrations partition(String table, String key) {
    migration.getSpec().setPartition(new Partition(table, key));
    return this;
  }

  public DataMigrations worker(JobTemplate worker) {
    migration.getSpec().setWorker(worker);
    return this;
  }

  public DataMigrations undo(JobTemplate undo) {
    migration.getSpec().setUndo(undo);
    return this;
  }

  public DataMigrations backup(JobTemplate backup) {
    migration.getSpec().setBackup(backup);
    return this;
  }

  public DataMigrations stage(String name, int percent) {
    stages.add(new MigrationStage(name, percent, Approval.Auto));
    return this;
  }

  public DataMigrations manualStage(String name, int percent) {
    stages.add(new MigrationStage(name, percent, Approval.Manual));
    return this;
  }

  public DataMigrations guardEquals(String name, DatabaseSide on, String query, String equals) {
    SqlGuard sql = new SqlGuard(on, query);
    sql.setEquals(equals);
    guards.add(new Guard(name, sql));
    return this;
  }

  public DataMigrations guardMax(String name, DatabaseSide on, String query, double max) {
    SqlGuard sql = new SqlGuard(on, query);
    sql.setMax(max);
    guards.add(new Guard(name, sql));
    return this;
  }

  /** A compare of members against members over the five member columns. */
  public DataMigrations compare(String name, long maxMismatches) {
    return compare(name, "members", "members", MEMBER_COLUMNS, maxMismatches, 1);
  }

  public DataMigrations compare(String name, String sourceTable, String targetTable, List<String> columns,
      long maxMismatches, int failureLimit) {
    CompareCheck compare = new CompareCheck();
    compare.setSource(new TableRef(sourceTable));
    compare.setTarget(new TableRef(targetTable));
    compare.setKey("member_id");
    compare.setColumns(new ArrayList<>(columns));
    compare.setMaxMismatches(maxMismatches);
    VerifyCheck check = new VerifyCheck(name);
    check.setCompare(compare);
    check.setInterval("1s");
    check.setFailureLimit(failureLimit);
    verify.add(check);
    return this;
  }

  public DataMigrations prometheusCheck(String name, String query, double max, int failureLimit) {
    VerifyCheck check = new VerifyCheck(name);
    check.setPrometheus(new PrometheusBound(query, null, max));
    check.setInterval("1s");
    check.setFailureLimit(failureLimit);
    verify.add(check);
    return this;
  }

  /** A verify check taken from a template; {@code name} null takes the template's. */
  public DataMigrations templateCheck(String name, TemplateKind kind, String template, Map<String, String> args) {
    VerifyCheck check = new VerifyCheck(name);
    check.setTemplateRef(new CheckTemplateRef(kind, template));
    check.setArgs(args);
    verify.add(check);
    return this;
  }

  public DataMigrations noVerify() {
    verify.clear();
    return this;
  }

  public DataMigrations pauseOnFailure() {
    migration.getSpec().setOnFailure(FailurePolicy.Pause);
    return this;
  }

  public DataMigration build() {
    migration.getSpec().setStages(new ArrayList<>(stages));
    migration.getSpec().setGuards(new ArrayList<>(guards));
    migration.getSpec().setVerify(new ArrayList<>(verify));
    return migration;
  }
}
