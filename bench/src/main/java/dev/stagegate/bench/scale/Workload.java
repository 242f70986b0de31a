package dev.stagegate.bench.scale;

import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.PrometheusQuery;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.sandbox.FakeJobRunner;
import dev.stagegate.sandbox.FakeKubelet;
import dev.stagegate.testing.DataMigrations;
import dev.stagegate.testing.MemberLoader;
import dev.stagegate.testing.MemberTables;
import dev.stagegate.testing.PostgresServer;
import dev.stagegate.testing.Releases;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The benchmark's resources in one namespace per N: N Releases (3 stages, 2 checks) and N/5 DataMigrations
 * (3 stages, into a PostgreSQL schema of their own), plus the fake kubelet and job runner that play the
 * cluster's pods. Releases are first rolled out at v1 (not measured), then all moved to v2 at once.
 */
final class Workload implements AutoCloseable {
  /** One query every Release asks: the shared answer is what the operator's query sharing saves. */
  static final String SHARED_QUERY = "sum(rate(http_requests_total{code=~\"5..\"}[1m])) or vector(0)";
  private static final Set<ReleasePhase> RELEASE_FINAL = Set.of(ReleasePhase.Promoted, ReleasePhase.RolledBack, ReleasePhase.Failed);
  private static final Set<MigrationPhase> MIGRATION_FINAL = Set.of(MigrationPhase.Succeeded, MigrationPhase.RolledBack, MigrationPhase.Failed);
  private static final long SOURCE_ROWS = 1_000;

  private final KubernetesClient client;
  private final String namespace;
  private final int releases;
  private final int migrations;
  private final int shards;
  private final String stageDuration;
  private FakeKubelet kubelet;
  private FakeJobRunner jobs;
  private MemberLoader loader;

  Workload(KubernetesClient client, String namespace, int releases, int shards, String stageDuration) {
    this(client, namespace, releases, releases / 5, shards, stageDuration);
  }

  /** The soak's counts: any number of DataMigrations beside the Releases. */
  Workload(KubernetesClient client, String namespace, int releases, int migrations, int shards, String stageDuration) {
    this.client = client;
    this.namespace = namespace;
    this.releases = releases;
    this.migrations = migrations;
    this.shards = shards;
    this.stageDuration = stageDuration;
  }

  static void installCrds(KubernetesClient client, Path crdFolder) throws IOException {
    try (Stream<Path> files = Files.list(crdFolder)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(f.toFile()).item();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(r -> r.update());
      }
    }
    OperatorProcess.sleep(3_000); // a real API server serves new CRDs after a moment
  }

  /** Namespace, pods' players, database schemas and Secrets; Releases created at v1. */
  void prepare() throws SQLException {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .createOr(r -> r.update());
    // Eight writers: one thread doing a GET and a PUT per Deployment change falls minutes behind at N=5,000, and the
    // Releases' progress deadline would then measure the benchmark's kubelet instead of the operator.
    kubelet = FakeKubelet.builder(client).inNamespace(namespace).readinessDelay(Duration.ofSeconds(1)).statusWriters(8)
        .build().start();
    String sourceDb = "bench_source";
    MemberTables.seedOnce(sourceDb, SOURCE_ROWS, false);
    String sourceUrl = PostgresServer.jdbcUrl(sourceDb);
    loader = new MemberLoader(sourceUrl);
    jobs = FakeJobRunner.builder(client, loader).inNamespace(namespace).threads(4).build().start();
    secret("bench-source", sourceUrl);
    String targetDb = "bench_targets";
    PostgresServer.createDatabase(targetDb);
    try (Connection c = PostgresServer.connect(targetDb); Statement st = c.createStatement()) {
      for (int i = 0; i < migrations; i++) {
        String schema = schema(i);
        st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        st.execute("CREATE SCHEMA " + schema);
        st.execute("SET search_path TO " + schema);
        MemberTables.create(c);
        secret("target-" + i, PostgresServer.jdbcUrl(targetDb) + "?currentSchema=" + schema);
      }
    }
    for (int i = 0; i < releases; i++) {
      client.resources(Release.class).inNamespace(namespace).resource(release(i, "v1")).create();
    }
  }

  private String schema(int i) {
    return namespace.replace('-', '_') + "_m" + i;
  }

  private Release release(int i, String version) {
    Check shared = new Check();
    shared.setName("cluster-errors");
    shared.setInterval("10s");
    shared.setFailureLimit(2);
    shared.setPrometheus(new PrometheusQuery(SHARED_QUERY));
    shared.setMax(1.0);
    Release r = Releases.named(name("r", i), namespace).replicas(2).image(version)
        .stage("canary-10", 10, stageDuration).stage("canary-50", 50, stageDuration).stage("full", 100, stageDuration)
        .errorRateCheck("10s", 2, 0.01).check(shared).progressDeadline("10m").build();
    r.getMetadata().setLabels(new HashMap<>(Map.of("stagegate.dev/shard", shard(i))));
    return r;
  }

  private String shard(int i) {
    return shards > 1 && i % 2 == 1 ? "b" : "a";
  }

  private static String name(String prefix, int i) {
    return String.format("%s-%05d", prefix, i);
  }

  private DataMigration migration(int i) {
    return migration(i, name("m", i));
  }

  private DataMigration migration(int i, String migrationName) {
    List<EnvVar> loader = List.of(
        DataMigrations.fromSecret("SOURCE_URL", "bench-source", "jdbcUrl"),
        DataMigrations.fromSecret("SOURCE_USER", "bench-source", "username"),
        DataMigrations.fromSecret("SOURCE_PASSWORD", "bench-source", "password"),
        DataMigrations.fromSecret("TARGET_URL", "target-" + i, "jdbcUrl"),
        DataMigrations.fromSecret("TARGET_USER", "target-" + i, "username"),
        DataMigrations.fromSecret("TARGET_PASSWORD", "target-" + i, "password"));
    DataMigration m = DataMigrations.named(migrationName, namespace).source("bench-source").target("target-" + i)
        .worker(DataMigrations.job("loader", loader)).undo(DataMigrations.job("undo", loader.subList(3, 6)))
        .stage("pilot", 10).stage("ramp", 50).stage("full", 100).compare("members-match", 0).build();
    m.getMetadata().setLabels(new HashMap<>(Map.of("stagegate.dev/shard", shard(i))));
    return m;
  }

  private void secret(String name, String jdbcUrl) {
    Map<String, String> data = new HashMap<>();
    Map.of("jdbcUrl", jdbcUrl, "username", "postgres", "password", "bench").forEach((k, v) ->
        data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    Secret secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withData(data).build();
    client.secrets().inNamespace(namespace).resource(secret).createOr(r -> r.update());
  }

  /** Every Release has reached a final phase for its current generation. */
  Progress releaseProgress() {
    int done = 0;
    int good = 0;
    for (Release r : client.resources(Release.class).inNamespace(namespace).list().getItems()) {
      if (r.getStatus() != null && r.getStatus().getPhase() != null && RELEASE_FINAL.contains(r.getStatus().getPhase())
          && r.getMetadata().getGeneration().equals(r.getStatus().getObservedGeneration())) {
        done++;
        good += r.getStatus().getPhase() == ReleasePhase.Promoted ? 1 : 0;
      }
    }
    return new Progress(releases, done, good);
  }

  Progress migrationProgress() {
    int done = 0;
    int good = 0;
    for (DataMigration m : client.resources(DataMigration.class).inNamespace(namespace).list().getItems()) {
      if (m.getStatus() != null && m.getStatus().getPhase() != null && MIGRATION_FINAL.contains(m.getStatus().getPhase())) {
        done++;
        good += m.getStatus().getPhase() == MigrationPhase.Succeeded ? 1 : 0;
      }
    }
    return new Progress(migrations, done, good);
  }

  /** The measured part: every Release moves to v2 and every DataMigration starts, all at once. */
  void startRollout() {
    rollReleasesTo("v2");
    List<DataMigration> created = new ArrayList<>();
    for (int i = 0; i < migrations; i++) {
      created.add(client.resources(DataMigration.class).inNamespace(namespace).resource(migration(i)).create());
    }
  }

  /** Every Release moves to {@code version} (the steady run's next round). */
  void rollReleasesTo(String version) {
    for (int i = 0; i < releases; i++) {
      // A JSON patch of the image only: no resourceVersion, so it never conflicts with the operator's status writes.
      String name = name("r", i);
      client.resources(Release.class).inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON),
          "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"example.com/"
              + name + ":" + version + "\"}]");
    }
  }

  int migrations() {
    return migrations;
  }

  int releases() {
    return releases;
  }

  String namespace() {
    return namespace;
  }

  static String releaseName(int i) {
    return name("r", i);
  }

  /** The loaders' player: the soak makes it fail loader Jobs for a while. */
  MemberLoader loader() {
    return loader;
  }

  /** One Release moves to {@code version} (the soak rolls each on as soon as it finished). */
  void rollReleaseTo(int i, String version) {
    String name = name("r", i);
    client.resources(Release.class).inNamespace(namespace).withName(name).patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"example.com/"
            + name + ":" + version + "\"}]");
  }

  /**
   * DataMigration {@code i}'s next cycle: its target emptied, then a new DataMigration named for the cycle (a
   * finished one's spec is not run again, and the old one may still be finalizing).
   */
  void startMigrationCycle(int i, int cycle) throws SQLException {
    try (Connection c = PostgresServer.connect("bench_targets"); Statement st = c.createStatement()) {
      st.execute("TRUNCATE " + schema(i) + "." + MemberTables.TABLE);
    }
    client.resources(DataMigration.class).inNamespace(namespace)
        .resource(migration(i, name("m", i) + "-c" + cycle)).create();
  }

  /**
   * Why final resources did not end well (RolledBack, Failed, undone): counted by status message with names and
   * numbers masked, so a run that rolled back under load says why instead of only how many.
   */
  Map<String, Integer> badOutcomes() {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    for (Release r : client.resources(Release.class).inNamespace(namespace).list().getItems()) {
      if (r.getStatus() != null && r.getStatus().getPhase() != null && RELEASE_FINAL.contains(r.getStatus().getPhase())
          && r.getStatus().getPhase() != ReleasePhase.Promoted) {
        counts.merge("Release " + r.getStatus().getPhase() + ": " + masked(r.getStatus().getMessage()), 1, Integer::sum);
      }
    }
    for (DataMigration m : client.resources(DataMigration.class).inNamespace(namespace).list().getItems()) {
      if (m.getStatus() != null && m.getStatus().getPhase() != null && MIGRATION_FINAL.contains(m.getStatus().getPhase())
          && m.getStatus().getPhase() != MigrationPhase.Succeeded) {
        counts.merge("DataMigration " + m.getStatus().getPhase() + ": " + masked(m.getStatus().getMessage()), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static String masked(String message) {
    if (message == null) {
      return "(no message)";
    }
    String m = message.replaceAll("\\b[rm]-\\d+\\S*", "<name>").replaceAll("\\d+(\\.\\d+)?", "#");
    return m.length() > 160 ? m.substring(0, 160) + "..." : m;
  }

  record Progress(int total, int done, int good) {
    boolean finished() {
      return done >= total;
    }
  }

  /**
   * Deletes what this size created while its operator still runs (to remove finalizers), so the next size's operator,
   * which watches the whole cluster, does not also carry these. There is no controller-manager here: nothing would
   * delete a namespace's contents, so each kind is deleted by collection.
   */
  private void removeResources() {
    client.resources(Release.class).inNamespace(namespace).delete();
    client.resources(DataMigration.class).inNamespace(namespace).delete();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline && !(client.resources(Release.class).inNamespace(namespace).list().getItems().isEmpty()
        && client.resources(DataMigration.class).inNamespace(namespace).list().getItems().isEmpty())) {
      OperatorProcess.sleep(1_000);
    }
    client.batch().v1().jobs().inNamespace(namespace).delete();
    client.apps().deployments().inNamespace(namespace).delete();
    client.pods().inNamespace(namespace).delete();
    client.secrets().inNamespace(namespace).delete();
  }

  @Override
  public void close() {
    try {
      removeResources();
    } catch (RuntimeException e) {
      System.out.println("could not remove the resources of " + namespace + ": " + e.getMessage());
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (jobs != null) {
      jobs.close();
    }
  }
}
