package dev.stagegate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.templates.ClusterCheckTemplate;
import dev.stagegate.chart.HelmChart.Run;
import dev.stagegate.testing.RealApiServer;
import dev.stagegate.testing.RealComponent;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * `helm install`, `upgrade` and `uninstall` of the chart, with every optional part on, by the real helm 4 into
 * a real kube-apiserver that also serves the Prometheus Operator's CRDs: the ServiceMonitor and PrometheusRule
 * are checked against their real schemas, every other object against Kubernetes' own.
 */
@Tag("apiserver")
@Tag("tools")
class ChartInstallOnRealApiServerTest {
  private static final String NAMESPACE = "sg-helm-system";
  private static final String NAME = "sg-helm";
  private static final List<String> SETS = withOverride(HelmChart.ALL_ON);
  private static final ResourceDefinitionContext SERVICE_MONITORS = monitoring("ServiceMonitor", "servicemonitors");
  private static final ResourceDefinitionContext PROMETHEUS_RULES = monitoring("PrometheusRule", "prometheusrules");

  private static KubernetesClient admin;
  private static Path kubeconfig;

  @BeforeAll
  static void monitoringCrds() throws Exception {
    Path crds = RealComponent.monitoringCrds();
    admin = RealApiServer.client();
    // The shared server may hold Stagegate's CRDs already (other tests install them); make that certain, so
    // helm meets them the same way on every run, as it would after `kubectl apply` or a GitOps tool.
    dev.stagegate.testing.OperatorHarness.installCrds(admin);
    kubeconfig = Files.createTempFile("helm-install", ".kubeconfig");
    Files.writeString(kubeconfig, RealApiServer.kubeconfig());
    for (String file : List.of("monitoring.coreos.com_servicemonitors.yaml", "monitoring.coreos.com_prometheusrules.yaml")) {
      try (InputStream in = Files.newInputStream(crds.resolve(file))) {
        CustomResourceDefinition crd = admin.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
        admin.apiextensions().v1().customResourceDefinitions().resource(crd).forceConflicts().serverSideApply();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> established(crd.getMetadata().getName()));
      }
    }
  }

  @AfterAll
  static void close() throws Exception {
    if (kubeconfig != null) {
      Files.deleteIfExists(kubeconfig);
    }
    if (admin != null) {
      admin.close();
    }
  }

  @Test
  @DisplayName("given every optional part on, when helm installs, upgrades and uninstalls the chart, then the API server accepts every object (ServiceMonitor and PrometheusRule against the Prometheus Operator's schemas) and uninstall removes them, CRDs kept")
  void installUpgradeUninstall() {
    // Helm 4 server-side-applies crds/ even when they exist; fields another manager owns conflict unless forced
    // (docs/install.md: --skip-crds or --force-conflicts when the CRDs were applied another way).
    List<String> install = new ArrayList<>(List.of("install", NAME, HelmChart.dir().toString(), "--namespace", NAMESPACE,
        "--create-namespace", "--force-conflicts"));
    install.addAll(HelmChart.setFlags(SETS));
    Run installed = helm(install);

    assertThat(installed.exitCode()).as("helm install:\n" + installed.output()).isZero();
    assertThat(admin.apps().deployments().inNamespace(NAMESPACE).withName(NAME).get().getSpec().getReplicas()).isEqualTo(2);
    assertThat(admin.services().inNamespace(NAMESPACE).withName(NAME + "-metrics").get()).isNotNull();
    assertThat(admin.policy().v1().podDisruptionBudget().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    assertThat(admin.configMaps().inNamespace(NAMESPACE).withLabel("grafana_dashboard", "1").list().getItems()).hasSize(1);
    GenericKubernetesResource monitor = one(SERVICE_MONITORS);
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    GenericKubernetesResource rule = one(PROMETHEUS_RULES);
    List<?> groups = (List<?>) ((java.util.Map<?, ?>) rule.getAdditionalProperties().get("spec")).get("groups");
    assertThat(groups).as("every rule group stored as rendered").hasSize(
        HelmChart.template(SETS).one("PrometheusRule").path("spec").path("groups").size());
    assertThat(admin.resources(ClusterCheckTemplate.class).withName("latency-sequential").get())
        .as("the sequential latency template, admitted by the ClusterCheckTemplate schema").isNotNull()
        .satisfies(t -> assertThat(t.getSpec().getCheck().getSequentialLatency().getSlowerThan())
            .containsExactly("{{args.slowerThan}}"));
    assertThat(admin.apiextensions().v1().customResourceDefinitions().withName("releases.stagegate.dev").get()
        .getMetadata().getManagedFields()).as("helm applied the chart's crds/")
        .anyMatch(f -> f.getManager() != null && f.getManager().contains("helm"));

    List<String> upgrade = new ArrayList<>(List.of("upgrade", NAME, HelmChart.dir().toString(), "--namespace", NAMESPACE));
    upgrade.addAll(HelmChart.setFlags(SETS));
    upgrade.addAll(List.of("--set", "replicas=1", "--set", "serviceMonitor.enabled=false"));
    Run upgraded = helm(upgrade);
    assertThat(upgraded.exitCode()).as("helm upgrade:\n" + upgraded.output()).isZero();
    assertThat(admin.apps().deployments().inNamespace(NAMESPACE).withName(NAME).get().getSpec().getReplicas()).isEqualTo(1);
    assertThat(admin.genericKubernetesResources(SERVICE_MONITORS).inNamespace(NAMESPACE).list().getItems())
        .as("switched off by the upgrade").isEmpty();

    Run uninstalled = helm(List.of("uninstall", NAME, "--namespace", NAMESPACE, "--wait", "--timeout", "60s"));
    assertThat(uninstalled.exitCode()).as("helm uninstall:\n" + uninstalled.output()).isZero();
    assertThat(admin.apps().deployments().inNamespace(NAMESPACE).withName(NAME).get()).isNull();
    assertThat(admin.genericKubernetesResources(PROMETHEUS_RULES).inNamespace(NAMESPACE).list().getItems()).isEmpty();
    assertThat(admin.apiextensions().v1().customResourceDefinitions().withName("datamigrations.stagegate.dev").get())
        .as("Helm never deletes the CRDs of crds/").isNotNull();
  }

  @Test
  @DisplayName("given a ServiceMonitor the Prometheus Operator's schema refuses, then the real API server refuses it too: the schema check above is not a formality")
  void theMonitoringSchemaIsEnforced() {
    GenericKubernetesResource bad = new GenericKubernetesResource();
    bad.setApiVersion("monitoring.coreos.com/v1");
    bad.setKind("ServiceMonitor");
    bad.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("bad").withNamespace("default").build());
    bad.setAdditionalProperty("spec", java.util.Map.of("selector", java.util.Map.of(),
        "endpoints", List.of(java.util.Map.of("port", "metrics", "scheme", "gopher"))));

    assertThat(org.assertj.core.api.Assertions.catchThrowable(
        () -> admin.genericKubernetesResources(SERVICE_MONITORS).inNamespace("default").resource(bad).create()))
        .hasMessageContaining("scheme");
  }

  private static Run helm(List<String> args) {
    return HelmChart.helm(args, kubeconfig);
  }

  private static GenericKubernetesResource one(ResourceDefinitionContext kind) {
    List<GenericKubernetesResource> items = admin.genericKubernetesResources(kind).inNamespace(NAMESPACE).list().getItems();
    assertThat(items).as(kind.getKind()).hasSize(1);
    return items.get(0);
  }

  private static boolean established(String crd) {
    CustomResourceDefinition found = admin.apiextensions().v1().customResourceDefinitions().withName(crd).get();
    return found != null && found.getStatus() != null && found.getStatus().getConditions().stream()
        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static ResourceDefinitionContext monitoring(String kind, String plural) {
    return new ResourceDefinitionContext.Builder().withGroup("monitoring.coreos.com").withVersion("v1")
        .withKind(kind).withPlural(plural).withNamespaced(true).build();
  }

  private static List<String> withOverride(List<String> sets) {
    List<String> all = new ArrayList<>(sets);
    all.add("fullnameOverride=" + NAME);
    return all;
  }
}
