package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.OperatorSettings;
import dev.stagegate.analysis.QueryResult;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.PrometheusBound;
import dev.stagegate.api.templates.CheckTemplate;
import dev.stagegate.examples.Examples;
import dev.stagegate.testing.ApiServerTier;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.PrometheusQuery;
import dev.stagegate.api.templates.CheckTemplateSpec;
import dev.stagegate.api.templates.ClusterCheckTemplate;
import dev.stagegate.api.templates.TemplateArg;
import dev.stagegate.api.templates.TemplateKind;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A DataMigration whose verify check comes from a ClusterCheckTemplate, on a real kube-apiserver with a real
 * PostgreSQL: the CRDs admit the templateRef and the recorded checks in status, the operator's informer sees the
 * template arrive and change, and a template edited while a stage is verified applies from the next stage.
 */
@Tag("apiserver")
class MigrationTemplatesApiServerTest extends MigrationScenarioBase {
  private static final String TEMPLATE = "templates-it-loader-errors-" + ProcessHandle.current().pid();
  @RegisterExtension
  static final ApiServerTier apiServer = ApiServerTier.connect();

  @AfterEach
  void deleteTemplate() {
    apiServer.client().resources(ClusterCheckTemplate.class).withName(TEMPLATE).delete();
  }

  @Override
  protected KubernetesClient client() {
    return apiServer.client();
  }

  @Override
  protected OperatorSettings settings() {
    return ApiServerTier.settings();
  }

  private static ClusterCheckTemplate template(String metric) {
    ClusterCheckTemplate t = new ClusterCheckTemplate();
    t.setMetadata(new ObjectMetaBuilder().withName(TEMPLATE).build());
    CheckTemplateSpec spec = new CheckTemplateSpec();
    spec.setArgs(List.of(new TemplateArg("job", null)));
    Check body = new Check();
    body.setInterval("1s");
    body.setMax(1.0);
    body.setPrometheus(new PrometheusQuery(
        "sum(" + metric + "{migration=\"{{name}}\",stage=\"{{stage}}\",job=\"{{args.job}}\"})"));
    spec.setCheck(body);
    t.setSpec(spec);
    return t;
  }

  private List<String> queriesOf(String stage) {
    return metrics.queries().stream().filter(q -> q.contains("stage=\"" + stage + "\"")).toList();
  }

  @Test
  @DisplayName("given a DataMigration whose verify check names a ClusterCheckTemplate that arrives after it, when the template is edited while the pilot is verified, then the pilot keeps its recorded query and the next stage uses the new one")
  void templateEditAppliesToTheNextStage() throws Exception {
    apiServer.client().resources(ClusterCheckTemplate.class).withName(TEMPLATE).delete();
    metrics.answer(new QueryResult.Empty());
    harness.apply(members2025().noVerify().compare("members-match", 0)
        .templateCheck(null, TemplateKind.ClusterCheckTemplate, TEMPLATE, Map.of("job", "loader"))
        .stage("pilot", 1).stage("full", 100).build());

    // GitOps: the migration is applied before its template exists. Nothing runs until it does.
    DataMigration held = harness.awaitPause(NAME, "TemplatePending", WAIT);
    assertThat(held.getStatus().getMessage()).contains("spec.verify[1].templateRef: ClusterCheckTemplate/" + TEMPLATE
        + " not found");
    assertThat(harness.jobs()).isEmpty();

    apiServer.client().resource(template("loader_errors_v1")).create();
    // The pilot's first evaluations answer no data: the stage is held and re-evaluated with its recorded check.
    DataMigration verifying = harness.awaitPause(NAME, "NoEvidence", WAIT);
    assertThat(verifying.getStatus().getTemplateChecks()).singleElement().satisfies(r -> {
      assertThat(r.getStage()).isEqualTo("pilot");
      assertThat(r.getTemplate().describe()).isEqualTo("ClusterCheckTemplate/" + TEMPLATE);
      assertThat(r.getCheck().getName()).isEqualTo(TEMPLATE);
      assertThat(r.getCheck().getPrometheus().getQuery()).startsWith("sum(loader_errors_v1{");
    });

    apiServer.client().resources(ClusterCheckTemplate.class).withName(TEMPLATE).edit(t -> template("loader_errors_v2"));
    int before = queriesOf("pilot").size();
    Instant until = Instant.now().plusSeconds(60);
    while (queriesOf("pilot").size() < before + 3 && Instant.now().isBefore(until)) {
      Thread.sleep(200);
    }
    metrics.value(0);
    DataMigration done = harness.awaitPhase(NAME, MigrationPhase.Succeeded, WAIT);

    assertThat(queriesOf("pilot")).as("the pilot kept its recorded check, also after the edit").hasSizeGreaterThan(before + 2)
        .allMatch(q -> q.equals("sum(loader_errors_v1{migration=\"" + NAME + "\",stage=\"pilot\",job=\"loader\"})"));
    assertThat(queriesOf("full")).as("the next stage took the edited template").isNotEmpty()
        .allMatch(q -> q.equals("sum(loader_errors_v2{migration=\"" + NAME + "\",stage=\"full\",job=\"loader\"})"));
    assertThat(done.getStatus().getTemplateChecks()).as("the run ended, nothing recorded").isNull();
    assertThat(harness.eventReasons(NAME)).contains("TemplatePending", "Resumed");
  }

  @Test
  @DisplayName("given examples/datamigration-check-templates.yaml, then the real API server accepts its CheckTemplate and DataMigration as written, and refuses a verify check with both a templateRef and a query, or with neither a name nor a templateRef, naming the rule")
  void exampleIsAcceptedAndSchemaRulesHold() {
    String namespace = "examples-migration-templates";
    apiServer.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
        .createOr(n -> n.update());
    CheckTemplate template = Serialization.unmarshal(Examples.documents("datamigration-check-templates.yaml").stream()
        .filter(d -> d.contains("\nkind: CheckTemplate\n")).findFirst().orElseThrow(), CheckTemplate.class);
    DataMigration example = Examples.migration("datamigration-check-templates.yaml");
    template.getMetadata().setNamespace(namespace);
    example.getMetadata().setNamespace(namespace);
    apiServer.client().resource(template).createOr(t -> t.update());
    apiServer.client().resources(DataMigration.class).inNamespace(namespace).withName(example.getMetadata().getName()).delete();
    DataMigration stored = apiServer.client().resource(example).create();
    assertThat(stored.getSpec().getVerify().get(1).getTemplateRef().describe()).isEqualTo("CheckTemplate/loader-errors");
    assertThat(stored.getSpec().getVerify().get(1).getName()).isNull();

    DataMigration both = Examples.migration("datamigration-check-templates.yaml");
    both.getMetadata().setNamespace(namespace);
    both.getMetadata().setName("both");
    both.getSpec().getVerify().get(1).setPrometheus(new PrometheusBound("sum(x)", null, 0.0));
    assertThatThrownBy(() -> apiServer.client().resource(both).create()).isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.verify[1]")
        .hasMessageContaining("a verify check with a templateRef takes its query and bounds from the template");

    DataMigration nameless = Examples.migration("datamigration-check-templates.yaml");
    nameless.getMetadata().setNamespace(namespace);
    nameless.getMetadata().setName("nameless");
    nameless.getSpec().getVerify().get(0).setName(null);
    assertThatThrownBy(() -> apiServer.client().resource(nameless).create()).isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.verify[0]").hasMessageContaining("a verify check needs a name");
  }
}
