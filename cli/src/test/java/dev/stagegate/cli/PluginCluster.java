package dev.stagegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.api.migration.StageState;
import dev.stagegate.api.migration.VerifyStatus;
import dev.stagegate.api.release.CheckStatus;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.api.release.StageStatus;
import dev.stagegate.testing.DataMigrations;
import dev.stagegate.testing.RealApiServer;
import dev.stagegate.testing.Releases;
import dev.stagegate.testing.RepoPaths;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import picocli.CommandLine;

/**
 * The plugin's test world: the shared real kube-apiserver with the CRDs from crds/, a kubeconfig file for it,
 * sample Releases and DataMigrations with the status the operator would write, and the plugin run in-process
 * with its output captured.
 */
final class PluginCluster {
  final KubernetesClient client;
  final Path kubeconfig;

  record Run(int exit, String out, String err) {}

  PluginCluster(Path dir) throws IOException {
    client = RealApiServer.client();
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, RealApiServer.kubeconfig());
    installCrds();
  }

  void namespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .createOr(existing -> existing.update());
  }

  /** Runs `kubectl stagegate ARGS --kubeconfig FILE` in this JVM. */
  Run plugin(String... args) {
    return plugin(kubeconfig, new StringWriter(), args);
  }

  /** The same with another kubeconfig, and stdout into the given writer (to follow a --watch while it runs). */
  Run plugin(Path config, StringWriter out, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--kubeconfig");
    all.add(config.toString());
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  /** A Release with three stages and two checks, created, then given the status the test describes. */
  Release release(String namespace, String name, Consumer<ReleaseStatus> status) {
    Release release = Releases.named(name, namespace).stage("canary-10", 10, "5m").manualStage("canary-50", 50, "5m")
        .stage("full", 100, "5m").errorRateCheck("1m", 2, 0.01).build();
    Release created = client.resource(release).create();
    ReleaseStatus s = new ReleaseStatus();
    s.setObservedGeneration(created.getMetadata().getGeneration());
    status.accept(s);
    created.setStatus(s);
    return client.resource(created).updateStatus();
  }

  /** The members-2025 DataMigration (pilot 1%, ramp 10% Manual, full 100%) with the status described. */
  DataMigration migration(String namespace, String name, Consumer<DataMigrationStatus> status) {
    DataMigration migration = DataMigrations.members2025(namespace).build();
    migration.getMetadata().setName(name);
    DataMigration created = client.resource(migration).create();
    DataMigrationStatus s = new DataMigrationStatus();
    s.setObservedGeneration(created.getMetadata().getGeneration());
    status.accept(s);
    created.setStatus(s);
    return client.resource(created).updateStatus();
  }

  <T extends HasMetadata> T reread(T object) {
    return client.resource(object).get();
  }

  static Consumer<ReleaseStatus> inCanary(ReleasePhase phase, int index, String stage, int weight) {
    return s -> {
      s.setPhase(phase);
      s.setStableRevision("5d7c9f4b");
      s.setCanaryRevision("8f2a1c3e");
      s.setCurrentStage(new StageStatus(index, stage, "2026-01-01T10:00:00Z"));
      s.setRequestedWeight(weight);
      s.setActualWeight(weight);
      s.setChecks(List.of(check("error-rate", CheckResult.Pass, "0.0021", 4, 0),
          check("latency-p99", CheckResult.NoData, null, 1, 0)));
      s.setMessage("stage " + stage + " (" + (index + 1) + "/3)");
    };
  }

  static Consumer<ReleaseStatus> finished(ReleasePhase phase, String message) {
    return s -> {
      s.setPhase(phase);
      s.setStableRevision(phase == ReleasePhase.Promoted ? "8f2a1c3e" : "5d7c9f4b");
      if (phase == ReleasePhase.RolledBack) {
        s.setFailedRevision("8f2a1c3e");
        s.setChecks(List.of(check("error-rate", CheckResult.Fail, "0.084", 6, 2)));
      }
      s.setActualWeight(phase == ReleasePhase.Promoted ? 100 : 0);
      s.setMessage(message);
    };
  }

  static CheckStatus check(String name, CheckResult result, String value, int evaluations, int failures) {
    CheckStatus c = new CheckStatus();
    c.setName(name);
    c.setLastResult(result);
    c.setLastValue(value);
    c.setEvaluations(evaluations);
    c.setConsecutiveFailures(failures);
    return c;
  }

  static Consumer<DataMigrationStatus> migrating(MigrationPhase phase, String stage, String pauseReason) {
    return s -> {
      s.setPhase(phase);
      s.setPauseReason(pauseReason);
      s.setCurrentStage(stage);
      s.setRowsTotal(12000L);
      s.setRowsMigrated(1200L);
      StageProgress pilot = new StageProgress();
      pilot.setName("pilot");
      pilot.setPercent(1);
      pilot.setState(StageState.Verified);
      StageProgress ramp = new StageProgress();
      ramp.setName("ramp");
      ramp.setPercent(10);
      ramp.setState(StageState.Loaded);
      s.setStages(List.of(pilot, ramp));
      VerifyStatus verify = new VerifyStatus();
      verify.setName("members-match");
      verify.setStage(stage);
      verify.setResult(CheckResult.Pass);
      verify.setPassed(true);
      verify.setMissing(0L);
      verify.setExtra(0L);
      verify.setChanged(0L);
      s.setVerify(List.of(verify));
      s.setMessage("stage " + stage + " loaded and verified");
    };
  }

  private void installCrds() throws IOException {
    try (Stream<Path> files = Files.list(RepoPaths.root().resolve("crds"))) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
          client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(r -> r.update());
          client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
              .waitUntilCondition(c -> c.getStatus() != null && c.getStatus().getConditions() != null
                  && c.getStatus().getConditions().stream().anyMatch(
                      cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
                  30, TimeUnit.SECONDS);
        }
      }
    }
  }

  /** Compares with src/test/resources/golden/NAME; `-Dgolden.update=true` rewrites the file instead. */
  static void assertGolden(String name, String actual) throws IOException {
    Path file = Path.of("src/test/resources/golden").resolve(name);
    if (Boolean.getBoolean("golden.update")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual);
    }
    assertThat(Files.isRegularFile(file)).as("golden file %s (create it with -Dgolden.update=true)", file).isTrue();
    assertThat(actual).isEqualTo(Files.readString(file));
  }
}
