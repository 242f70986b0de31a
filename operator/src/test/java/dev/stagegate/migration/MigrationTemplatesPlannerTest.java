package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.JobState;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.StageState;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.PrometheusQuery;
import dev.stagegate.api.release.SequentialCheck;
import dev.stagegate.api.templates.CheckTemplateSpec;
import dev.stagegate.api.templates.TemplateArg;
import dev.stagegate.api.templates.TemplateKind;
import dev.stagegate.common.Note;
import dev.stagegate.migration.plan.Boundaries;
import dev.stagegate.migration.plan.GuardOutcome;
import dev.stagegate.migration.plan.MigrationObservation;
import dev.stagegate.migration.plan.MigrationPlan;
import dev.stagegate.migration.plan.MigrationPlanner;
import dev.stagegate.migration.plan.ObservedJob;
import dev.stagegate.migration.plan.PreflightOutcome;
import dev.stagegate.migration.plan.StageRange;
import dev.stagegate.migration.plan.VerifyOutcome;
import dev.stagegate.migration.plan.WorkRequest;
import dev.stagegate.api.templates.CheckTemplate;
import dev.stagegate.examples.Examples;
import dev.stagegate.migration.plan.MigrationValidator;
import dev.stagegate.templates.TemplateLookup;
import io.fabric8.kubernetes.client.utils.Serialization;
import dev.stagegate.templates.TemplatedMigration;
import dev.stagegate.testing.DataMigrations;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A DataMigration's verify checks taken from CheckTemplates/ClusterCheckTemplates, through the pure planner with a
 * fake clock: a missing template holds before any write, a template edited mid-stage applies from the next stage,
 * and what cannot be a migration's check is refused naming the field.
 */
class MigrationTemplatesPlannerTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final Boundaries BOUNDS = new Boundaries(250_000, List.of(
      new StageRange(1, 2_501, 2_500), new StageRange(2_501, 25_001, 22_500), new StageRange(25_001, 250_001, 225_000)));
  private static final List<GuardOutcome> GUARDS_PASS = List.of(
      new GuardOutcome("source-is-production", CheckResult.Pass, "members_prod", "= members_prod", "returned members_prod"),
      new GuardOutcome("no-test-fixtures", CheckResult.Pass, "0", "<= 0", "returned 0"));
  private static final String QUERY = "sum(loader_records_failed_total{migration=\"{{name}}\",stage=\"{{stage}}\","
      + "job=\"{{args.job}}\"})";

  private final MigrationPlanner planner = new MigrationPlanner(Duration.ofSeconds(5));
  private final Map<String, CheckTemplateSpec> templates = new HashMap<>();
  private final TemplateLookup lookup = (kind, namespace, name) ->
      Optional.ofNullable(templates.get(kind + "/" + name));
  private final Map<String, ObservedJob> jobs = new HashMap<>();
  private DataMigration migration;
  private Instant now = T0;
  private MigrationPlan plan;

  @BeforeEach
  void setUp() {
    migration = DataMigrations.members2025("portal").noVerify()
        .templateCheck(null, TemplateKind.ClusterCheckTemplate, "loader-errors", Map.of("job", "loader")).build();
    migration.getMetadata().setUid("0123456789abcdef");
  }

  // ----- the world

  private void clusterTemplate(String name, Check body, TemplateArg... args) {
    CheckTemplateSpec spec = new CheckTemplateSpec();
    spec.setArgs(List.of(args));
    spec.setCheck(body);
    templates.put("ClusterCheckTemplate/" + name, spec);
  }

  private static Check bound(String query, double max) {
    Check body = new Check();
    body.setInterval("5s");
    body.setFailureLimit(2);
    body.setMax(max);
    body.setPrometheus(new PrometheusQuery(query));
    return body;
  }

  private void loaderErrors(double max) {
    clusterTemplate("loader-errors", bound(QUERY, max), new TemplateArg("job", null));
  }

  // ----- driving the planner as the reconciler does: resolve, then plan

  private MigrationPlanner.Turn turn() {
    return planner.turn(TemplatedMigration.of(migration, lookup), now);
  }

  private MigrationPlan step(PreflightOutcome preflight, Map<String, VerifyOutcome> verify) {
    plan = turn().plan(new MigrationObservation(1, null, Map.copyOf(jobs), preflight, verify, Map.of()));
    migration.setStatus(plan.status());
    return plan;
  }

  private MigrationPlan step() {
    return step(null, Map.of());
  }

  private void succeeded(String job) {
    jobs.put(job, new ObservedJob(job, "uid-" + job, JobState.Succeeded, "Reached expected number of succeeded pods"));
  }

  private DataMigrationStatus status() {
    return migration.getStatus();
  }

  private WorkRequest.Verify dueVerify() {
    return turn().due().stream().filter(WorkRequest.Verify.class::isInstance).map(WorkRequest.Verify.class::cast)
        .findFirst().orElseThrow();
  }

  private static VerifyOutcome pass(double value) {
    return new VerifyOutcome(CheckResult.Pass, false, "value " + value, value, null, Duration.ZERO);
  }

  private List<String> reasons() {
    return plan.notes().stream().map(Note::reason).toList();
  }

  // ----- scenarios

  @Test
  @DisplayName("given a verify check whose ClusterCheckTemplate does not exist yet, then nothing runs or is written and it holds with TemplatePending naming the field; when the template arrives, the guards run")
  void missingTemplateHoldsBeforeAnyWrite() {
    step();

    assertThat(status().getPhase()).isEqualTo(MigrationPhase.Paused);
    assertThat(status().getPauseReason()).isEqualTo("TemplatePending");
    assertThat(status().getMessage()).contains(
        "spec.verify[0].templateRef: ClusterCheckTemplate/loader-errors not found", "nothing is written");
    assertThat(plan.jobs()).isEmpty();
    assertThat(turn().due()).as("not even the guards").isEmpty();
    assertThat(reasons()).containsExactly("TemplatePending");

    loaderErrors(0);
    assertThat(turn().due()).containsExactly(new WorkRequest.Preflight(0));
    step();
    assertThat(status().getPauseReason()).isNull();
    assertThat(status().getPhase()).isEqualTo(MigrationPhase.Guarding);
    assertThat(reasons()).contains("Resumed");
  }

  @Test
  @DisplayName("given a template check, when its template is edited while the pilot is being verified, then the pilot keeps the bound recorded when it started and the next stage takes the edited one")
  void templateEditAppliesToTheNextStage() {
    loaderErrors(0);
    step();
    step(new PreflightOutcome.Ready(GUARDS_PASS, BOUNDS), Map.of());
    assertThat(status().getTemplateChecks()).singleElement().satisfies(r -> {
      assertThat(r.getStage()).isEqualTo("pilot");
      assertThat(r.getTemplate().describe()).isEqualTo("ClusterCheckTemplate/loader-errors");
      assertThat(r.getArgs()).isEqualTo(Map.of("job", "loader"));
      assertThat(r.getCheck().getName()).isEqualTo("loader-errors");
      assertThat(r.getCheck().getPrometheus().getQuery()).isEqualTo(
          "sum(loader_records_failed_total{migration=\"{{name}}\",stage=\"{{stage}}\",job=\"loader\"})");
    });

    loaderErrors(5);
    succeeded("members-2025-pilot-load");
    step();
    assertThat(status().getStages().get(0).getState()).isEqualTo(StageState.Loaded);
    WorkRequest.Verify pilot = dueVerify();
    assertThat(pilot.check().getPrometheus().getMax()).as("the pilot's recorded bound").isEqualTo(0.0);
    assertThat(pilot.check().getInterval()).isEqualTo("5s");
    assertThat(pilot.check().getFailureLimit()).isEqualTo(2);

    step(null, Map.of("loader-errors", pass(0)));
    assertThat(status().getStages().get(0).getState()).isEqualTo(StageState.Verified);
    assertThat(status().getCurrentStage()).isEqualTo("ramp");
    assertThat(status().getTemplateChecks()).singleElement().satisfies(r -> {
      assertThat(r.getStage()).isEqualTo("ramp");
      assertThat(r.getCheck().getPrometheus().getMax()).isEqualTo(5.0);
    });
    succeeded("members-2025-ramp-load");
    step();
    assertThat(dueVerify().check().getPrometheus().getMax()).as("the ramp takes the edited template").isEqualTo(5.0);
  }

  @Test
  @DisplayName("given a template that disappears between stages, then the next stage's verification holds with TemplatePending (no rollback, nothing more loaded) and continues when it is back")
  void templateMissingForANewStageHoldsItsVerification() {
    loaderErrors(0);
    step();
    step(new PreflightOutcome.Ready(GUARDS_PASS, BOUNDS), Map.of());
    succeeded("members-2025-pilot-load");
    step();
    templates.clear();
    step(null, Map.of("loader-errors", pass(0)));
    succeeded("members-2025-ramp-load");
    step();

    assertThat(status().getPauseReason()).isEqualTo("TemplatePending");
    assertThat(status().getMessage()).contains("check loader-errors waits for ClusterCheckTemplate/loader-errors");
    assertThat(status().getRollback()).isNull();
    assertThat(turn().due()).isEmpty();
    assertThat(plan.jobs()).isEmpty();

    loaderErrors(0);
    assertThat(dueVerify().stage()).isEqualTo("ramp");
    step(null, Map.of("loader-errors", pass(0)));
    assertThat(status().getStages().get(1).getState()).isEqualTo(StageState.Verified);
    assertThat(status().getPauseReason()).as("the Manual ramp, verified, waits for approve").isEqualTo("AwaitingApproval");
  }

  @Test
  @DisplayName("given template checks a migration cannot run (sequential, a Release placeholder, an unknown argument, a name taken by another check), then Failed/InvalidSpec names each field and nothing is written")
  void refusalsNameTheField() {
    Check sequential = new Check();
    SequentialCheck test = new SequentialCheck();
    test.setErrors("sum(errors_total)");
    test.setRequests("sum(requests_total)");
    sequential.setSequential(test);
    clusterTemplate("error-rate-sequential", sequential);
    clusterTemplate("canary-errors", bound("sum(errors_total{revision=\"{{revision}}\"})", 0));
    loaderErrors(0);
    migration = DataMigrations.members2025("portal").noVerify()
        .prometheusCheck("loader-errors", "sum(x)", 0, 1)
        .templateCheck(null, TemplateKind.ClusterCheckTemplate, "loader-errors", Map.of("job", "loader"))
        .templateCheck(null, TemplateKind.ClusterCheckTemplate, "error-rate-sequential", null)
        .templateCheck(null, TemplateKind.ClusterCheckTemplate, "canary-errors", null)
        .templateCheck("other", TemplateKind.ClusterCheckTemplate, "loader-errors", Map.of("jb", "loader"))
        .build();

    step();

    assertThat(status().getPhase()).isEqualTo(MigrationPhase.Failed);
    assertThat(status().getFailureReason()).isEqualTo("InvalidSpec");
    assertThat(status().getMessage()).contains(
        "spec.verify[1].name: check name 'loader-errors' is also the name of spec.verify[0]; give one of them its own name",
        "spec.verify[2].templateRef: ClusterCheckTemplate/error-rate-sequential is a sequential check, which needs a"
            + " canary and a stable revision",
        "spec.verify[3].templateRef: ClusterCheckTemplate/canary-errors uses {{revision}}, which only a Release fills",
        "spec.verify[4].args.jb: ClusterCheckTemplate/loader-errors has no argument 'jb' (it has: job)",
        "spec.verify[4].args.job: is required by ClusterCheckTemplate/loader-errors");
    assertThat(plan.jobs()).isEmpty();
    assertThat(turn().due()).isEmpty();
  }

  @Test
  @DisplayName("given examples/datamigration-check-templates.yaml, then its DataMigration resolves against its CheckTemplate with no refusal and the operator's validation accepts it")
  void exampleResolves() {
    CheckTemplate template = Serialization.unmarshal(Examples.documents("datamigration-check-templates.yaml").stream()
        .filter(d -> d.contains("\nkind: CheckTemplate\n")).findFirst().orElseThrow(), CheckTemplate.class);
    DataMigration example = Examples.migration("datamigration-check-templates.yaml");

    TemplatedMigration resolved = TemplatedMigration.of(example, (kind, namespace, name) -> Optional.ofNullable(
        kind == TemplateKind.CheckTemplate && "portal".equals(namespace) && "loader-errors".equals(name)
            ? template.getSpec() : null));

    assertThat(resolved.invalid()).isEmpty();
    assertThat(resolved.missing()).isEmpty();
    assertThat(MigrationValidator.validate(resolved.migration())).isEmpty();
    assertThat(resolved.migration().getSpec().getVerify().get(1)).satisfies(v -> {
      assertThat(v.getName()).isEqualTo("loader-errors");
      assertThat(v.getPrometheus().getQuery()).isEqualTo("sum(loader_records_failed_total{migration=\"{{name}}\","
          + "stage=\"{{stage}}\",job=\"orders-loader\"}) > bool 0");
      assertThat(v.getPrometheus().getMax()).isEqualTo(0.0);
      assertThat(v.getInterval()).isEqualTo("30s");
    });
  }
}
