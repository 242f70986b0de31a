package dev.stagegate.demo;

import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.api.migration.StageState;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenarios 3 to 5: examples/datamigration.yaml, each in a namespace of its own with its own two Secrets, against
 * one shared target database. The demo does only what a person would: create the Secrets, apply the example,
 * approve the Manual ramp stage when asked. What goes wrong is in the Secret (scenario 3) or in the loader's
 * image (scenario 4), never in the operator's path.
 */
final class MigrationScenarios {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  /** A person looks at the verify results before approving; long enough to see the pause. */
  private static final Duration APPROVAL_DELAY = Duration.ofSeconds(2);
  /** Would be a real password: it must never show in status, Events, logs or metrics. */
  private static final String PASSWORD = "demo-Pa55-never-shown";

  private final Sandbox sandbox;
  private final LiveView view;
  private final Timeline timeline;
  private final DataMigration example;
  private final String sourceSecret;
  private final String targetSecret;

  MigrationScenarios(Sandbox sandbox, LiveView view, Timeline timeline, DataMigration example) {
    this.sandbox = sandbox;
    this.view = view;
    this.timeline = timeline;
    this.example = example;
    this.sourceSecret = example.getSpec().getSource().getSecretRef().getName();
    this.targetSecret = example.getSpec().getTarget().getSecretRef().getName();
  }

  /** Scenario 3: the source Secret points at UAT by mistake; the guards stop it before any write. */
  ScenarioResult uatSource(int number, String title, String expected) throws Exception {
    String ns = namespaceFor(number);
    prepare(ns, MembersDatabase.UAT);
    String before = sandbox.database().checksum(MembersDatabase.TARGET);
    long t0 = System.nanoTime();
    DataMigration done = applyAndRun(ns);
    double seconds = (System.nanoTime() - t0) / 1e9;
    DataMigrationStatus s = done.getStatus();
    String after = sandbox.database().checksum(MembersDatabase.TARGET);
    int jobs = sandbox.client().batch().v1().jobs().inNamespace(ns).list().getItems().size();
    boolean stopped = s.getPhase() == MigrationPhase.Failed && "GuardFailed".equals(s.getFailureReason());
    String detail = "target " + (before.equals(after) ? "unchanged (" + after + ")" : "CHANGED: " + before + " → " + after)
        + "; Jobs created: " + jobs + "; " + s.getMessage();
    return new ScenarioResult(number, "migration-uat-source", title, expected, outcome(s),
        stopped && before.equals(after) && jobs == 0, seconds, sandbox.jobs().loaded(ns, null), null, detail);
  }

  /** Scenario 4: a loader that writes fixtures; the pilot's compare finds them, undo removes them. */
  ScenarioResult fixturesLoader(int number, String title, String expected) throws Exception {
    String ns = namespaceFor(number);
    sandbox.jobs().writeFixtures(ns);
    prepare(ns, MembersDatabase.PRODUCTION);
    String before = sandbox.database().checksum(MembersDatabase.TARGET);
    long t0 = System.nanoTime();
    DataMigration done = applyAndRun(ns);
    double seconds = (System.nanoTime() - t0) / 1e9;
    DataMigrationStatus s = done.getStatus();
    String after = sandbox.database().checksum(MembersDatabase.TARGET);
    Long mismatches = view.maxMismatches(number);
    List<StageProgress> stages = s.getStages();
    boolean pilotUndone = !stages.isEmpty() && stages.get(0).getState() == StageState.Undone;
    boolean restUntouched = stages.stream().skip(1).allMatch(p -> p.getState() == StageState.Pending
        && p.getJob() == null);
    boolean rolledBack = s.getPhase() == MigrationPhase.RolledBack && "VerifyFailed".equals(s.getFailureReason());
    long loaded = sandbox.jobs().loaded(ns, null);
    String detail = String.format(Locale.ROOT, "loader wrote %,d rows in the pilot, compare found %s, undo deleted %,d;"
        + " target %s", loaded, mismatches == null ? "nothing" : String.format(Locale.ROOT, "%,d mismatches", mismatches),
        sandbox.jobs().undone(ns), before.equals(after) ? "as before (" + after + ")" : "CHANGED: " + before + " → " + after);
    return new ScenarioResult(number, "migration-fixtures", title, expected, outcome(s),
        rolledBack && pilotUndone && restUntouched && before.equals(after) && mismatches != null && mismatches > 0,
        seconds, loaded, mismatches, detail);
  }

  /** Scenario 5: the correct migration, pilot → ramp (approved) → full, every compare clean. */
  ScenarioResult correct(int number, String title, String expected) throws Exception {
    String ns = namespaceFor(number);
    prepare(ns, MembersDatabase.PRODUCTION);
    long targetBefore = sandbox.database().count(MembersDatabase.TARGET);
    long t0 = System.nanoTime();
    DataMigration done = applyAndRun(ns);
    double seconds = (System.nanoTime() - t0) / 1e9;
    DataMigrationStatus s = done.getStatus();
    long targetAfter = sandbox.database().count(MembersDatabase.TARGET);
    for (StageProgress p : s.getStages()) {
      timeline.stageRows(new Timeline.StageRows(number, p.getName() + " (" + p.getPercent() + "%)",
          sandbox.jobs().loaded(ns, p.getName())));
    }
    Long lastMismatches = MigrationLine.mismatches(done);
    boolean allVerified = !s.getStages().isEmpty()
        && s.getStages().stream().allMatch(p -> p.getState() == StageState.Verified);
    long loaded = sandbox.jobs().loaded(ns, null);
    boolean complete = s.getPhase() == MigrationPhase.Succeeded && allVerified
        && s.getRowsTotal() != null && s.getRowsTotal().equals(s.getRowsMigrated())
        && targetAfter == targetBefore + sandbox.database().sourceRows() && loaded == sandbox.database().sourceRows();
    String detail = String.format(Locale.ROOT, "stages %s; target %,d → %,d rows; last compare %s mismatches",
        String.join(" → ", s.getStages().stream().map(p -> String.format(Locale.ROOT, "%s %,d rows",
            p.getName(), sandbox.jobs().loaded(ns, p.getName()))).toList()),
        targetBefore, targetAfter, lastMismatches == null ? "no" : lastMismatches.toString());
    return new ScenarioResult(number, "migration-correct", title, expected, outcome(s),
        complete && Long.valueOf(0).equals(lastMismatches), seconds, loaded, lastMismatches, detail);
  }

  /** Applies the example in the namespace, approves Manual stages when asked, until it ends. */
  private DataMigration applyAndRun(String ns) throws InterruptedException {
    DataMigration migration = copyOfExample(ns);
    String name = migration.getMetadata().getName();
    view.note("kubectl apply -n " + ns + " -f examples/datamigration.yaml");
    sandbox.client().resources(DataMigration.class).inNamespace(ns).resource(migration).create();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      DataMigration m = Waits.until(() -> read(ns, name), d -> d.getStatus() != null && (terminal(d.getStatus().getPhase())
          || "AwaitingApproval".equals(d.getStatus().getPauseReason())), Duration.ofNanos(deadline - System.nanoTime()));
      if (m == null || m.getStatus() == null || terminal(m.getStatus().getPhase())) {
        return m;
      }
      Thread.sleep(APPROVAL_DELAY.toMillis());
      view.note("kubectl annotate dmig " + name + " -n " + ns + " stagegate.dev/action=approve   (stage "
          + m.getStatus().getCurrentStage() + " verified; a person approves the next)");
      annotate(ns, name, "approve");
      Waits.until(() -> read(ns, name), d -> !"AwaitingApproval".equals(d.getStatus().getPauseReason()),
          Duration.ofSeconds(30));
    }
    return read(ns, name);
  }

  private DataMigration copyOfExample(String ns) {
    DataMigration copy = sandbox.client().getKubernetesSerialization().clone(example);
    copy.getMetadata().setNamespace(ns);
    return copy;
  }

  /** A namespace of the scenario's own, with the example's two Secrets: the source pointing where it is told. */
  private void prepare(String ns, String sourceDatabase) {
    prepare(ns, sourceDatabase, MembersDatabase.TARGET);
  }

  /** The same, with the target Secret pointing at {@code targetDatabase}. */
  void prepare(String ns, String sourceDatabase, String targetDatabase) {
    KubernetesClient client = sandbox.client();
    try {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    MembersDatabase db = sandbox.database();
    String target = db.jdbcUrl(targetDatabase);
    secret(ns, sourceSecret, Map.of("jdbcUrl", db.jdbcUrl(sourceDatabase), "username", MembersDatabase.USER,
        "password", PASSWORD));
    secret(ns, targetSecret, Map.of("jdbcUrl", target, "username", MembersDatabase.USER, "password", PASSWORD,
        "libpqUrl", "postgresql://" + MembersDatabase.USER + "@localhost:" + db.port() + "/" + targetDatabase));
    sandbox.loaderMetrics().register(ns, example.getMetadata().getName());
    view.note("kubectl create secret -n " + ns + " " + sourceSecret + " (jdbcUrl → " + sourceDatabase + "), "
        + targetSecret + " (jdbcUrl → " + targetDatabase + ")");
  }

  private void secret(String ns, String name, Map<String, String> values) {
    Map<String, String> data = new HashMap<>();
    values.forEach((k, v) -> data.put(k, java.util.Base64.getEncoder().encodeToString(
        v.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    Secret secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withData(data).build();
    sandbox.client().secrets().inNamespace(ns).resource(secret).createOr(r -> r.update());
  }

  private void annotate(String ns, String name, String action) {
    for (int attempt = 1; ; attempt++) {
      try {
        sandbox.client().resources(DataMigration.class).inNamespace(ns).withName(name).edit(m -> {
          if (m.getMetadata().getAnnotations() == null) {
            m.getMetadata().setAnnotations(new HashMap<>());
          }
          m.getMetadata().getAnnotations().put("stagegate.dev/action", action);
          return m;
        });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 20) {
          throw e;
        }
      }
    }
  }

  private DataMigration read(String ns, String name) {
    return sandbox.client().resources(DataMigration.class).inNamespace(ns).withName(name).get();
  }

  String namespaceFor(int scenario) {
    return example.getMetadata().getNamespace() + "-" + scenario;
  }

  private static boolean terminal(MigrationPhase phase) {
    return phase == MigrationPhase.Succeeded || phase == MigrationPhase.RolledBack || phase == MigrationPhase.Failed;
  }

  private static String outcome(DataMigrationStatus s) {
    if (s == null || s.getPhase() == null || !terminal(s.getPhase())) {
      return "NoDecision(" + TIMEOUT.toSeconds() + "s)";
    }
    return s.getFailureReason() == null ? s.getPhase().name() : s.getPhase().name() + "/" + s.getFailureReason();
  }
}
