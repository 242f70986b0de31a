package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.testing.ApiServerProxy;
import dev.stagegate.testing.ApiServerProxy.Fault;
import dev.stagegate.testing.ApiServerTier;
import dev.stagegate.testing.RealApiServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A DataMigration on the real kube-apiserver and PostgreSQL while the operator's connection to the API server
 * misbehaves (a proxy between them): 500s and a timed-out answer on Job creation (the Job exists, the operator was not
 * told), 409s and 500s on status writes, dropped watches. Every Job is created and run once, the migration succeeds.
 */
@Tag("apiserver")
@Tag("postgres")
class ApiServerFaultsMigrationTest extends MigrationScenarioBase {
  @RegisterExtension
  static final ApiServerTier apiServer = ApiServerTier.connect();
  private ApiServerProxy proxy;
  private KubernetesClient operatorClient;
  private ScheduledExecutorService dropper;

  @Override
  protected KubernetesClient client() {
    return apiServer.client();
  }

  @Override
  protected OperatorSettings settings() {
    return ApiServerTier.settings();
  }

  @AfterEach
  void closeProxy() {
    if (dropper != null) {
      dropper.shutdownNow();
    }
    harness.stopOperator();
    if (operatorClient != null) {
      operatorClient.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  @DisplayName("given 500s and a timed-out answer on Job creation, 409s and 500s on status writes and dropped watches, then every Job is created and run once and the migration succeeds")
  void migrationSurvivesApiServerFaults() throws Exception {
    proxy = new ApiServerProxy("operator", Config.fromKubeconfig(RealApiServer.kubeconfig()));
    operatorClient = proxy.client(Duration.ofSeconds(3));
    harness.stopOperator();
    harness.withOperatorClient(operatorClient).startOperator();
    proxy.inject(ApiServerProxy.requests("/jobs", "POST"), new Fault.Answer(500), 2)
        .inject(ApiServerProxy.requests("/jobs", "POST"), new Fault.DelayAnswer(Duration.ofSeconds(4)), 1)
        .inject(ApiServerProxy.statusWrites(), new Fault.Answer(409), 3)
        .inject(ApiServerProxy.statusWrites(), new Fault.DelayAnswer(Duration.ofSeconds(4)), 1)
        .inject(ApiServerProxy.statusWrites(), new Fault.Answer(500), 2)
        .inject(ApiServerProxy.requests("/events", "POST", "PATCH", "PUT"), new Fault.Answer(500), 2);
    dropper = Executors.newSingleThreadScheduledExecutor();
    dropper.scheduleAtFixedRate(proxy::dropWatches, 1500, 1500, TimeUnit.MILLISECONDS);

    harness.apply(members2025().stage("pilot", 1).stage("ramp", 10).stage("full", 100).build());
    DataMigration done = runToEnd();
    dropper.shutdownNow();

    assertThat(done.getStatus().getPhase()).isEqualTo(MigrationPhase.Succeeded);
    assertThat(proxy.record()).as("every injected fault was met")
        .filteredOn(x -> x.injected() != null).hasSizeGreaterThanOrEqualTo(2 + 1 + 3 + 1 + 2 + 2);
    Map<String, Long> created = proxy.acceptedWrites("/jobs").stream().filter(x -> x.method().equals("POST"))
        .collect(Collectors.groupingBy(x -> x.path(), Collectors.counting()));
    System.out.println("Job creates accepted: " + created + ", runs: " + harness.jobRuns());
    assertThat(harness.jobRuns()).as("each Job ran once").containsOnlyKeys(NAME + "-pilot-load", NAME + "-ramp-load",
        NAME + "-full-load").allSatisfy((job, runs) -> assertThat(runs).isEqualTo(1));
    assertThat(proxy.acceptedWrites("/jobs").stream().filter(x -> x.method().equals("POST"))).as("Jobs created")
        .hasSize(3);
    assertThat(harness.eventReasons(NAME)).doesNotContain("RolledBack", "VerifyFailed");
  }
}
