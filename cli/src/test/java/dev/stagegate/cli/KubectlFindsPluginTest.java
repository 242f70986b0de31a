package dev.stagegate.cli;

import static dev.stagegate.cli.PluginCluster.finished;
import static dev.stagegate.cli.PluginCluster.inCanary;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.testing.RealComponent;
import dev.stagegate.testing.RepoPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged plugin as a user runs it: the real kubectl (.tools/bin) finds target/bin/kubectl-stagegate on
 * PATH, which runs the shaded jar. Tagged `packaged`: the pom runs it in the package phase, once the jar and
 * the launcher are built.
 */
@Tag("apiserver")
@Tag("packaged")
@DisplayName("The packaged kubectl-stagegate run through the real kubectl")
class KubectlFindsPluginTest {
  @TempDir
  static Path dir;

  static PluginCluster cluster;

  record Result(int exit, String out) {}

  @BeforeAll
  static void start() throws Exception {
    cluster = new PluginCluster(dir);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.client.close();
    }
  }

  @Test
  @DisplayName("given the build's target/bin on PATH, then kubectl lists the plugin and `kubectl stagegate get` prints the table")
  void kubectlRunsThePlugin() throws Exception {
    cluster.namespace("tools-ns");
    cluster.release("tools-ns", "checkout", inCanary(ReleasePhase.Progressing, 0, "canary-10", 10));

    Result plugins = kubectl("plugin", "list");
    Result get = kubectl("stagegate", "get", "-n", "tools-ns", "--kubeconfig", cluster.kubeconfig.toString());

    assertThat(plugins.out()).contains(launcher().toString()).doesNotContain("warning");
    assertThat(get.exit()).as(get.out()).isZero();
    assertThat(get.out()).isEqualTo("""
        KIND      NAME       PHASE         STAGE             WEIGHT   CHECKS
        Release   checkout   Progressing   canary-10 (1/3)   10%      1/2 Pass, latency-p99 NoData
        """);
  }

  @Test
  @DisplayName("given a rolled-back Release, when `kubectl stagegate status`, then kubectl passes on the plugin's exit code 1")
  void exitCodeThroughKubectl() throws Exception {
    cluster.namespace("ci");
    cluster.release("ci", "checkout", finished(ReleasePhase.RolledBack, "check error-rate failed"));
    cluster.release("ci", "cart", finished(ReleasePhase.Promoted, "revision 8f2a1c3e promoted"));

    Result rolledBack = kubectl("stagegate", "status", "checkout", "-n", "ci", "--kubeconfig", cluster.kubeconfig.toString());
    Result promoted = kubectl("stagegate", "status", "cart", "-n", "ci", "--watch", "--kubeconfig", cluster.kubeconfig.toString());

    assertThat(rolledBack.exit()).as(rolledBack.out()).isEqualTo(Exit.FAILED);
    assertThat(rolledBack.out()).startsWith("Release ci/checkout\n  Phase:       RolledBack\n");
    assertThat(promoted.exit()).as(promoted.out()).isEqualTo(Exit.OK);
  }

  @Test
  @DisplayName("given examples/ci-rollout.sh, then it waits for the applied Release: not finished until the operator reports the new spec, then passes on Promoted")
  void ciExample() throws Exception {
    cluster.namespace("shop");
    Path script = RepoPaths.root().resolve("examples/ci-rollout.sh");
    Path release = RepoPaths.root().resolve("examples/release.yaml");

    // no operator runs here: right after the apply there is no status for the new spec
    Result waiting = run(List.of(script.toString(), release.toString(), "1s"));
    Release applied = cluster.client.resources(Release.class).inNamespace("shop").withName("checkout").get();
    ReleaseStatus status = new ReleaseStatus();
    finished(ReleasePhase.Promoted, "revision 8f2a1c3e promoted").accept(status);
    status.setObservedGeneration(applied.getMetadata().getGeneration());
    applied.setStatus(status);
    cluster.client.resource(applied).updateStatus();
    Result promoted = run(List.of(script.toString(), release.toString(), "1m"));

    assertThat(waiting.exit()).as(waiting.out()).isEqualTo(Exit.NOT_FINISHED);
    assertThat(waiting.out()).contains("Release shop/checkout\n  Phase:       Waiting\n")
        .endsWith("ci-rollout: Release shop/checkout did not finish within 1s\n");
    assertThat(promoted.exit()).as(promoted.out()).isZero();
    assertThat(promoted.out()).endsWith("ci-rollout: Release shop/checkout finished successfully\n");
  }

  private static Path launcher() {
    return Path.of("target/bin/kubectl-stagegate").toAbsolutePath();
  }

  private static Result kubectl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(RealComponent.kubectl().toString());
    command.addAll(List.of(args));
    return run(command);
  }

  /** Runs a command with the build's target/bin and the real kubectl's folder first on PATH. */
  private static Result run(List<String> command) throws IOException, InterruptedException {
    assertThat(launcher()).as("the build's launcher (mvn package makes it)").isExecutable();
    assertThat(launcher().resolveSibling("stagegate-cli.jar")).isRegularFile();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.put("PATH", launcher().getParent() + ":" + RealComponent.kubectl().getParent() + ":" + System.getenv("PATH"));
    env.put("KUBECONFIG", cluster.kubeconfig.toString());
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }
}
