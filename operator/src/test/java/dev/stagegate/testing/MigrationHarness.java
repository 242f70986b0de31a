package dev.stagegate.testing;

import dev.stagegate.OperatorSettings;
import dev.stagegate.StagegateOperator;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.sandbox.FakeJobRunner;
import dev.stagegate.sandbox.JobHandler;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The cluster a DataMigration test runs in: the {@link OperatorHarness} (API server, CRDs, the real operator,
 * watching only this namespace) plus the sandbox's FakeJobRunner playing the Jobs' pods with a test handler.
 */
public final class MigrationHarness implements ResourceSteps<DataMigration>, AutoCloseable {
  private final OperatorHarness cluster;
  private final FakeJobRunner runner;
  private final KubernetesClient client;
  private final String namespace;

  public MigrationHarness(KubernetesClient client, String namespace, OperatorSettings settings, MetricsSources metrics,
      JobHandler jobs) {
    this.client = client;
    this.namespace = namespace;
    OperatorSettings scoped = new OperatorSettings(settings.prometheusUrl(), settings.prometheusAuthDir(), Set.of(namespace),
        settings.port(), settings.leaderElection(), settings.leaseName(), settings.leaseNamespace(),
        settings.leaseDuration(), settings.useServerSideApply(), settings.identity());
    this.cluster = new OperatorHarness(client, namespace, scoped, metrics);
    this.runner = FakeJobRunner.builder(client, jobs).inNamespace(namespace).threads(2).build();
  }

  public MigrationHarness start() {
    cluster.start();
    runner.start();
    return this;
  }

  /** Where the next instance started may be stopped dead (restart injection). */
  public MigrationHarness crashPoints(dev.stagegate.kube.CrashPoints points) {
    cluster.crashPoints(points);
    return this;
  }

  /** The operator (started from now on) reaches the API server with this client, e.g. through a fault-injecting proxy. */
  public MigrationHarness withOperatorClient(KubernetesClient operatorClient) {
    cluster.withOperatorClient(operatorClient);
    return this;
  }

  public StagegateOperator startOperator() {
    return cluster.startOperator();
  }

  public void stopOperator() {
    cluster.stopOperator();
  }

  public StagegateOperator operator() {
    return cluster.operator();
  }

  /** The same cluster's Release steps, for scenarios that link a Release to the migration. */
  public OperatorHarness releases() {
    return cluster;
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public String namespace() {
    return namespace;
  }

  /** Job name → times its pod ran (FakeJobRunner counts per name, over every uid). */
  public Map<String, Integer> jobRuns() {
    return runner.runCounts();
  }

  public List<Job> jobs() {
    return client.batch().v1().jobs().inNamespace(namespace).list().getItems();
  }

  // ----- steps a scenario takes

  /** A database Secret as the issue describes it: jdbcUrl, username, password. */
  public Secret databaseSecret(String name, String jdbcUrl, String username, String password) {
    Map<String, String> values = new HashMap<>();
    if (jdbcUrl != null) {
      values.put("jdbcUrl", jdbcUrl);
    }
    values.put("username", username);
    values.put("password", password);
    Secret secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withData(encode(values)).build();
    return client.secrets().inNamespace(namespace).resource(secret).createOr(r -> r.update());
  }

  private static Map<String, String> encode(Map<String, String> values) {
    Map<String, String> data = new HashMap<>();
    values.forEach((k, v) -> data.put(k, java.util.Base64.getEncoder().encodeToString(
        v.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
    return data;
  }

  @Override
  public DataMigration apply(DataMigration migration) {
    migration.getMetadata().setNamespace(namespace);
    return client.resources(DataMigration.class).inNamespace(namespace).resource(migration).createOr(r -> r.update());
  }

  @Override
  public DataMigration get(String name) {
    return client.resources(DataMigration.class).inNamespace(namespace).withName(name).get();
  }

  @Override
  public void annotate(String name, String action) {
    edit(name, m -> {
      if (m.getMetadata().getAnnotations() == null) {
        m.getMetadata().setAnnotations(new HashMap<>());
      }
      m.getMetadata().getAnnotations().put("stagegate.dev/action", action);
      return m;
    });
  }

  /** Edits as a person would, trying again when the operator wrote status in between (409). */
  @Override
  public DataMigration edit(String name, UnaryOperator<DataMigration> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return client.resources(DataMigration.class).inNamespace(namespace).withName(name).edit(change);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 20) {
          throw e;
        }
      }
    }
  }

  public DataMigration awaitPhase(String name, MigrationPhase phase, Duration timeout) {
    return awaitStatus(name, "phase " + phase, m -> m.getStatus().getPhase() == phase, timeout);
  }

  /** Waits until the resource is held for {@code reason} (status.pauseReason). */
  public DataMigration awaitPause(String name, String reason, Duration timeout) {
    return awaitStatus(name, "pause reason " + reason, x -> reason.equals(x.getStatus().getPauseReason()), timeout);
  }

  /** Events about the migration, oldest first. */
  public List<Event> events(String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(Event::getFirstTimestamp)
            .thenComparing(e -> e.getMetadata().getCreationTimestamp() == null ? "" : e.getMetadata().getCreationTimestamp()))
        .toList();
  }

  @Override
  public List<String> eventReasons(String name) {
    return events(name).stream().map(Event::getReason).toList();
  }

  @Override
  public Object status(DataMigration migration) {
    return migration.getStatus();
  }

  @Override
  public void close() {
    runner.close();
    cluster.close();
  }
}
