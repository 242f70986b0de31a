package dev.stagegate.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.analysis.MetricsSource;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.analysis.QueryResult;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.PrometheusQuery;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.templates.CheckTemplateRef;
import dev.stagegate.api.templates.CheckTemplateSpec;
import dev.stagegate.api.templates.ClusterCheckTemplate;
import dev.stagegate.api.templates.TemplateArg;
import dev.stagegate.api.templates.TemplateKind;
import dev.stagegate.release.RevisionHash;
import dev.stagegate.testing.ApiServerTier;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.Releases;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Release whose check comes from a ClusterCheckTemplate, on a real kube-apiserver: the CRDs admit the template
 * and the recorded checks in status, the operator's informer sees the template arrive and change, and a template
 * edited mid-canary applies to the next canary only.
 */
@Tag("apiserver")
class CheckTemplateApiServerTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String TEMPLATE = "templates-it-error-rate";
  @RegisterExtension
  static final ApiServerTier apiServer = ApiServerTier.connect();

  /** Every query the operator sent, with when: answers 0.1% errors, a pass against max 5%. */
  private final List<Map.Entry<Instant, String>> queries = new CopyOnWriteArrayList<>();
  private final MetricsSources metrics = new MetricsSources() {
    @Override
    public MetricsSource forTarget(String url, Optional<Map<String, String>> secret) {
      return (promql, timeout) -> {
        queries.add(Map.entry(Instant.now(), promql));
        return new QueryResult.Value(0.001);
      };
    }
  };

  @AfterAll
  static void deleteTemplate() {
    if (apiServer.client() != null) {
      apiServer.client().resources(ClusterCheckTemplate.class).withName(TEMPLATE).delete();
    }
  }

  private static ClusterCheckTemplate template(String metric) {
    ClusterCheckTemplate t = new ClusterCheckTemplate();
    t.setMetadata(new ObjectMetaBuilder().withName(TEMPLATE).build());
    CheckTemplateSpec spec = new CheckTemplateSpec();
    spec.setArgs(List.of(new TemplateArg("service", null), new TemplateArg("window", "1m")));
    Check body = new Check();
    body.setInterval("1s");
    body.setMax(0.05);
    body.setPrometheus(new PrometheusQuery(
        "sum(rate(" + metric + "{service=\"{{args.service}}\",revision=\"{{revision}}\"}[{{args.window}}]))"));
    spec.setCheck(body);
    t.setSpec(spec);
    return t;
  }

  private List<String> queriesFor(String revision) {
    return queries.stream().map(Map.Entry::getValue).filter(q -> q.contains("revision=\"" + revision + "\"")).toList();
  }

  @Test
  @DisplayName("given a Release whose check names a ClusterCheckTemplate that arrives after it, when the template is edited mid-canary, then the running canary keeps the recorded query and the next canary uses the new one")
  void templateEditAppliesToTheNextCanary() {
    apiServer.client().resources(ClusterCheckTemplate.class).withName(TEMPLATE).delete();
    try (OperatorHarness harness = new OperatorHarness(apiServer.client(), "templates-it", OperatorSettings.forTests("http://unused"),
        metrics).start()) {
      Check entry = new Check();
      entry.setTemplateRef(new CheckTemplateRef(TemplateKind.ClusterCheckTemplate, TEMPLATE));
      entry.setArgs(Map.of("service", "checkout"));
      harness.apply(Releases.named("shop", "templates-it").stage("half", 50, "8s").stage("full", 100, "500ms")
          .check(entry).build());
      harness.awaitPhase("shop", ReleasePhase.Promoted, WAIT);

      // GitOps: the new revision is applied before its template exists. No canary pods until it does.
      String v2 = RevisionHash.of(harness.changeImage("shop", "example.com/shop:v2"));
      Release held = harness.awaitStatus("shop", "held for the template",
          r -> r.getStatus().getMessage() != null && r.getStatus().getMessage().startsWith("revision " + v2 + " waits"),
          WAIT);
      assertThat(held.getStatus().getMessage()).contains("spec.checks[0].templateRef: ClusterCheckTemplate/" + TEMPLATE
          + " not found");
      assertThat(held.getStatus().getCanaryRevision()).isNull();
      assertThat(harness.replicasByRevision("shop")).doesNotContainKey(v2);

      apiServer.client().resource(template("errors_v1")).create();
      harness.awaitStatus("shop", "canary checked with the template",
          r -> v2.equals(r.getStatus().getCanaryRevision()) && !queriesFor(v2).isEmpty(), WAIT);

      apiServer.client().resources(ClusterCheckTemplate.class).withName(TEMPLATE).edit(t -> template("errors_v2"));
      Instant edited = Instant.now();
      Release promoted = harness.awaitStatus("shop", "v2 promoted",
          r -> v2.equals(r.getStatus().getStableRevision()) && r.getStatus().getPhase() == ReleasePhase.Promoted, WAIT);

      assertThat(queriesFor(v2)).as("the running canary kept its recorded check").isNotEmpty()
          .allMatch(q -> q.equals("sum(rate(errors_v1{service=\"checkout\",revision=\"" + v2 + "\"}[1m]))"));
      assertThat(queries.stream().filter(q -> q.getKey().isAfter(edited)).map(Map.Entry::getValue)
          .filter(q -> q.contains(v2))).as("evaluated after the edit too").isNotEmpty();
      assertThat(promoted.getStatus().getTemplateChecks()).as("no canary, nothing recorded").isNull();

      String v3 = RevisionHash.of(harness.changeImage("shop", "example.com/shop:v3"));
      Release next = harness.awaitStatus("shop", "v3 checked",
          r -> v3.equals(r.getStatus().getCanaryRevision()) && !queriesFor(v3).isEmpty(), WAIT);
      assertThat(queriesFor(v3)).allMatch(q -> q.equals("sum(rate(errors_v2{service=\"checkout\",revision=\"" + v3
          + "\"}[1m]))"));
      assertThat(next.getStatus().getTemplateChecks()).singleElement().satisfies(r -> {
        assertThat(r.getRevision()).isEqualTo(v3);
        assertThat(r.getTemplate().describe()).isEqualTo("ClusterCheckTemplate/" + TEMPLATE);
        assertThat(r.getCheck().getName()).isEqualTo(TEMPLATE);
        assertThat(r.getCheck().getPrometheus().getQuery()).startsWith("sum(rate(errors_v2{service=\"checkout\"");
      });
    }
  }
}
