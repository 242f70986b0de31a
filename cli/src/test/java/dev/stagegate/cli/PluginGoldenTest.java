package dev.stagegate.cli;

import static dev.stagegate.cli.PluginCluster.assertGolden;
import static dev.stagegate.cli.PluginCluster.finished;
import static dev.stagegate.cli.PluginCluster.inCanary;
import static dev.stagegate.cli.PluginCluster.migrating;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.api.release.StageStatus;
import dev.stagegate.common.ActionWord;
import dev.stagegate.kube.ActionAnnotation;
import dev.stagegate.migration.plan.MigrationAction;
import dev.stagegate.release.plan.UserAction;
import dev.stagegate.testing.RealComponent;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * `kubectl stagegate` against a real kube-apiserver + etcd with the CRDs from crds/: what it prints is
 * compared with the golden files in src/test/resources/golden, what it writes is read back from the server.
 * Each test works in a namespace of its own.
 */
@Tag("apiserver")
@DisplayName("kubectl stagegate on a real API server")
class PluginGoldenTest {
  @TempDir
  static Path dir;

  static PluginCluster cluster;

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
  @DisplayName("given Releases and a DataMigration in a namespace, when get, then one table row each with phase, stage, weight and checks")
  void getTable() throws Exception {
    cluster.namespace("shop");
    cluster.release("shop", "checkout", inCanary(ReleasePhase.Progressing, 0, "canary-10", 10));
    cluster.release("shop", "search", inCanary(ReleasePhase.Paused, 1, "canary-50", 50).andThen(
        s -> s.setPauseReason(ReleaseReasons.Pause.AwaitingApproval.name())));
    cluster.release("shop", "cart", finished(ReleasePhase.Promoted, "revision 8f2a1c3e promoted"));
    cluster.release("shop", "payments", finished(ReleasePhase.RolledBack, "check error-rate failed"));
    cluster.migration("shop", "members-2025", migrating(MigrationPhase.Migrating, "ramp", null));

    PluginCluster.Run all = cluster.plugin("get", "-n", "shop");
    PluginCluster.Run onlyMigrations = cluster.plugin("get", "dm", "-n", "shop");

    assertThat(all.exit()).as(all.err()).isZero();
    assertGolden("get.txt", all.out());
    assertGolden("get-dm.txt", onlyMigrations.out());
  }

  @Test
  @DisplayName("given no -n, when get, then the current context's namespace is used, as kubectl does")
  void contextNamespace() throws Exception {
    cluster.namespace("context-ns");
    cluster.release("context-ns", "checkout", inCanary(ReleasePhase.Progressing, 0, "canary-10", 10));
    Path kubectl = RealComponent.kubectl();
    Path config = dir.resolve("kubeconfig-context-ns");
    Files.copy(cluster.kubeconfig, config);
    Process p = new ProcessBuilder(kubectl.toString(), "config", "set-context", "--current", "--namespace=context-ns",
        "--kubeconfig", config.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();

    PluginCluster.Run fromContext = cluster.plugin(config, new StringWriter(), "get");
    PluginCluster.Run explicit = cluster.plugin(config, new StringWriter(), "get", "--namespace", "empty-ns");

    assertThat(fromContext.exit()).as(fromContext.err()).isZero();
    assertThat(fromContext.out()).contains("checkout").contains("canary-10 (1/3)");
    assertThat(explicit.out()).isEmpty();
    assertThat(explicit.err()).isEqualTo("No Releases or DataMigrations found in namespace empty-ns.\n");
  }

  @Test
  @DisplayName("given a Release paused for approval, when status, then the golden view and exit code 3 (not finished)")
  void statusPaused() throws Exception {
    cluster.namespace("status-ns");
    cluster.release("status-ns", "search", inCanary(ReleasePhase.Paused, 1, "canary-50", 50).andThen(s -> {
      s.setPauseReason(ReleaseReasons.Pause.AwaitingApproval.name());
      s.setLastAction("pause at 2026-01-01T10:02:00Z");
    }));
    cluster.migration("status-ns", "members-2025", migrating(MigrationPhase.Paused, "ramp", "AwaitingApproval"));

    PluginCluster.Run release = cluster.plugin("status", "search", "-n", "status-ns");
    PluginCluster.Run migration = cluster.plugin("status", "dm/members-2025", "-n", "status-ns");

    assertThat(release.exit()).isEqualTo(Exit.NOT_FINISHED);
    assertGolden("status-release-paused.txt", release.out());
    assertThat(migration.exit()).isEqualTo(Exit.NOT_FINISHED);
    assertGolden("status-migration-paused.txt", migration.out());
  }

  @ParameterizedTest(name = "{0} -> exit {1}")
  @CsvSource({"Promoted, 0", "RolledBack, 1", "Failed, 1", "Progressing, 3"})
  @DisplayName("given a Release in a phase, when status, then the exit code CI can branch on")
  void releaseExitCodes(ReleasePhase phase, int exit) {
    String ns = "exit-release-" + phase.name().toLowerCase();
    cluster.namespace(ns);
    cluster.release(ns, "checkout", phase == ReleasePhase.Progressing
        ? inCanary(phase, 0, "canary-10", 10) : finished(phase, "sample"));

    assertThat(cluster.plugin("status", "checkout", "-n", ns).exit()).isEqualTo(exit);
  }

  @ParameterizedTest(name = "{0} -> exit {1}")
  @CsvSource({"Succeeded, 0", "RolledBack, 1", "Failed, 1", "Migrating, 3", "RollingBack, 3"})
  @DisplayName("given a DataMigration in a phase, when status, then the exit code CI can branch on")
  void migrationExitCodes(MigrationPhase phase, int exit) {
    String ns = "exit-dm-" + phase.name().toLowerCase();
    cluster.namespace(ns);
    cluster.migration(ns, "members-2025", migrating(phase, "full", null));

    assertThat(cluster.plugin("status", "members-2025", "-n", ns).exit()).isEqualTo(exit);
  }

  @Test
  @DisplayName("given a Promoted Release whose spec changed since, when status, then it is not finished (CI must not pass on the old outcome)")
  void staleStatus() throws Exception {
    cluster.namespace("stale-ns");
    Release release = cluster.release("stale-ns", "checkout", finished(ReleasePhase.Promoted, "revision 8f2a1c3e promoted"));
    release.getSpec().setReplicas(5);
    cluster.client.resource(release).update();

    PluginCluster.Run run = cluster.plugin("status", "checkout", "-n", "stale-ns");

    assertThat(run.exit()).isEqualTo(Exit.NOT_FINISHED);
    assertGolden("status-stale.txt", run.out());
  }

  @Test
  @DisplayName("given a Release rolling out, when status --watch and it is then promoted, then each view once and exit 0")
  void watchUntilPromoted() throws Exception {
    cluster.namespace("watch-ns");
    Release release = cluster.release("watch-ns", "checkout", inCanary(ReleasePhase.Progressing, 0, "canary-10", 10));

    StringWriter out = new StringWriter();
    CompletableFuture<PluginCluster.Run> watching = CompletableFuture.supplyAsync(() -> cluster.plugin(
        cluster.kubeconfig, out, "status", "checkout", "-n", "watch-ns", "--watch", "--interval", "100ms",
        "--timeout", "60s"));
    // change the status only once the first view is out, so that the output is always the same two views
    waitUntil(() -> out.toString().contains("Message:") || watching.isDone());
    Release current = cluster.reread(release);
    current.getStatus().setCurrentStage(new StageStatus(2, "full", "2026-01-01T10:10:00Z"));
    current.getStatus().setActualWeight(100);
    current.getStatus().setRequestedWeight(100);
    current.getStatus().setPhase(ReleasePhase.Promoted);
    current.getStatus().setStableRevision("8f2a1c3e");
    current.getStatus().setCanaryRevision(null);
    current.getStatus().setMessage("revision 8f2a1c3e promoted");
    cluster.client.resource(current).updateStatus();
    PluginCluster.Run run = watching.get(60, TimeUnit.SECONDS);

    assertThat(run.exit()).as(run.err()).isEqualTo(Exit.OK);
    assertGolden("status-watch.txt", run.out());
  }

  @Test
  @DisplayName("given a Release that never finishes, when status --watch --timeout 1s, then exit 3 and a clear message")
  void watchTimesOut() {
    cluster.namespace("timeout-ns");
    cluster.release("timeout-ns", "checkout", inCanary(ReleasePhase.Progressing, 0, "canary-10", 10));

    PluginCluster.Run run = cluster.plugin("status", "checkout", "-n", "timeout-ns", "-w", "--timeout", "1s",
        "--interval", "200ms");

    assertThat(run.exit()).isEqualTo(Exit.NOT_FINISHED);
    assertThat(run.err()).isEqualTo("timed out after 1s: Release timeout-ns/checkout is still Progressing\n");
  }

  @ParameterizedTest(name = "{0} on a Release writes {1}")
  @CsvSource({"promote, promote", "promote --full, promote-full", "pause, pause", "resume, resume",
      "abort, abort", "retry, retry"})
  @DisplayName("given a Release, when an action command, then the annotation holds the operator's word for it")
  void releaseActions(String command, String word) {
    String ns = "act-rel-" + word;
    cluster.namespace(ns);
    Release release = cluster.release(ns, "checkout", inCanary(ReleasePhase.Progressing, 0, "canary-10", 10));

    PluginCluster.Run run = cluster.plugin((command + " checkout -n " + ns).split(" "));

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("release.stagegate.dev/checkout: " + word + " requested\n");
    String written = ActionAnnotation.of(cluster.reread(release));
    assertThat(written).isEqualTo(word);
    assertThat(ActionWord.parse(UserAction.class, written)).as("a word the operator's UserAction knows").isPresent();
  }

  @ParameterizedTest(name = "{0} on a DataMigration writes {1}")
  @CsvSource({"approve, approve", "resume, resume", "retry, retry-stage", "abort, abort"})
  @DisplayName("given a DataMigration, when an action command, then the annotation holds the operator's word for it")
  void migrationActions(String command, String word) {
    String ns = "act-dm-" + word;
    cluster.namespace(ns);
    DataMigration migration = cluster.migration(ns, "members-2025", migrating(MigrationPhase.Paused, "ramp", "AwaitingApproval"));

    PluginCluster.Run run = cluster.plugin(command, "datamigration/members-2025", "-n", ns);

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("datamigration.stagegate.dev/members-2025: " + word + " requested\n");
    String written = ActionAnnotation.of(cluster.reread(migration));
    assertThat(written).isEqualTo(word);
    assertThat(ActionWord.parse(MigrationAction.class, written)).as("a word the operator's MigrationAction knows").isPresent();
  }

  @Test
  @DisplayName("given actions that do not apply to the kind, then refused with the reason, exit 1, nothing written")
  void refusals() throws Exception {
    cluster.namespace("refuse-ns");
    Release release = cluster.release("refuse-ns", "checkout", inCanary(ReleasePhase.Paused, 1, "canary-50", 50));
    DataMigration migration = cluster.migration("refuse-ns", "members-2025", migrating(MigrationPhase.Migrating, "ramp", null));

    StringBuilder transcript = new StringBuilder();
    for (String command : new String[] {"approve checkout", "promote members-2025", "promote --full members-2025",
        "pause members-2025"}) {
      PluginCluster.Run run = cluster.plugin((command + " -n refuse-ns").split(" "));
      assertThat(run.exit()).as(command).isEqualTo(Exit.FAILED);
      transcript.append("$ kubectl stagegate ").append(command).append('\n').append(run.out()).append(run.err());
    }

    assertGolden("refusals.txt", transcript.toString());
    assertThat(ActionAnnotation.of(cluster.reread(release))).isNull();
    assertThat(ActionAnnotation.of(cluster.reread(migration))).isNull();
  }

  @Test
  @DisplayName("given a name both kinds use, a missing name or an unknown kind, then a clear error and its exit code")
  void namesAndErrors() throws Exception {
    cluster.namespace("names-ns");
    cluster.release("names-ns", "orders", inCanary(ReleasePhase.Progressing, 0, "canary-10", 10));
    cluster.migration("names-ns", "orders", migrating(MigrationPhase.Migrating, "ramp", null));

    PluginCluster.Run ambiguous = cluster.plugin("promote", "orders", "-n", "names-ns");
    PluginCluster.Run qualified = cluster.plugin("promote", "rel/orders", "-n", "names-ns");
    PluginCluster.Run missing = cluster.plugin("status", "nothing", "-n", "names-ns");
    PluginCluster.Run badKind = cluster.plugin("abort", "deployment/orders", "-n", "names-ns");
    PluginCluster.Run pending = cluster.plugin("pause", "release/orders", "-n", "names-ns");

    assertThat(ambiguous.exit()).isEqualTo(Exit.USAGE);
    assertThat(qualified.exit()).isZero();
    assertThat(missing.exit()).isEqualTo(Exit.NOT_FOUND);
    assertThat(badKind.exit()).isEqualTo(Exit.USAGE);
    assertThat(pending.exit()).isZero();
    assertGolden("names-and-errors.txt", ambiguous.err() + qualified.out() + missing.err() + badKind.err() + pending.out());
  }

  @Test
  @DisplayName("given an API server that cannot be reached, then exit 4 with the reason, and the kubeconfig's token is never printed")
  void unreachableServer() throws Exception {
    Path dead = dir.resolve("kubeconfig-unreachable");
    Files.writeString(dead, """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}
          name: gone
        contexts:
        - context: {cluster: gone, user: ci, namespace: shop}
          name: gone
        current-context: gone
        users:
        - name: ci
          user: {token: s3cr3t-token-never-printed}
        """);

    PluginCluster.Run run = cluster.plugin(dead, new StringWriter(), "get");

    assertThat(run.exit()).isEqualTo(Exit.NOT_FOUND);
    assertThat(run.err()).startsWith("error: Operation: [list]").contains("in namespace: [shop]")
        .containsPattern("failed: \\w+").doesNotContain("s3cr3t").doesNotContain("(null)");
    assertThat(run.out()).isEmpty();
  }

  @Test
  @DisplayName("given -A, then the table gains a NAMESPACE column and lists every namespace")
  void allNamespaces() {
    cluster.namespace("all-a");
    cluster.namespace("all-b");
    cluster.release("all-a", "checkout", inCanary(ReleasePhase.Progressing, 0, "canary-10", 10));
    cluster.migration("all-b", "members-2025", migrating(MigrationPhase.Migrating, "ramp", null));

    PluginCluster.Run run = cluster.plugin("get", "-A");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out().lines().findFirst().orElseThrow()).startsWith("NAMESPACE").contains("KIND").contains("CHECKS");
    assertThat(run.out()).containsPattern("(?m)^all-a +Release +checkout +Progressing +canary-10 \\(1/3\\) +10%")
        .containsPattern("(?m)^all-b +DataMigration +members-2025 +Migrating +ramp \\(2/3\\) +10%");
  }

  /** Waits for a condition the plugin's own reads decide (at most a minute; the assertions come after). */
  private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!condition.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(20);
    }
  }
}
