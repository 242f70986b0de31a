package dev.stagegate.apiserver;

import dev.stagegate.api.common.ApiGroup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stagegate.api.release.Release;
import dev.stagegate.testing.ApiServerTier;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated CRD installs on a real API server, which then refuses invalid Releases itself
 * (OpenAPI constraints and CEL rules) with a message naming the field. What no schema can say is
 * left to the operator's validation (ReleaseFlowApiServerTest and the planner tests).
 */
@Tag("apiserver")
class ReleaseSchemaTest {
  private static final String NS = "schema";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ResourceDefinitionContext RELEASES = new ResourceDefinitionContext.Builder()
      .withGroup(ApiGroup.GROUP).withVersion(ApiGroup.VERSION).withPlural("releases").withKind("Release")
      .withNamespaced(true).build();
  @RegisterExtension
  static final ApiServerTier apiServer = ApiServerTier.withCrds().withNamespace(NS);
  private static int counter;

  /** A valid Release as a plain JSON tree, so a case can break it in ways the Java model cannot express. */
  private static ObjectNode valid() {
    try {
      return (ObjectNode) JSON.readTree("""
          {"apiVersion": "stagegate.dev/v1alpha1", "kind": "Release",
           "metadata": {"name": "x"},
           "spec": {
             "replicas": 3,
             "selector": {"matchLabels": {"app": "shop"}},
             "template": {"metadata": {"labels": {"app": "shop"}},
                          "spec": {"containers": [{"name": "app", "image": "example.com/shop:v1"}]}},
             "progressDeadline": "10m",
             "stages": [{"name": "canary-10", "weight": 10, "duration": "5m"},
                        {"name": "canary-50", "weight": 50, "duration": "10m", "approval": "Manual"},
                        {"name": "full", "weight": 100}],
             "checks": [{"name": "error-rate", "interval": "30s", "failureLimit": 2,
                         "prometheus": {"query": "sum(rate(x[1m]))"}, "max": 0.01}],
             "onFailure": "Rollback"}}""");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode spec(ObjectNode release) {
    return (ObjectNode) release.get("spec");
  }

  private static ObjectNode stage(ObjectNode r, int i) {
    return (ObjectNode) spec(r).get("stages").get(i);
  }

  /** Weight 0, reaching the canary only with the cookie canary=always. */
  private static ObjectNode cookieOnly(ObjectNode stage) {
    stage.put("weight", 0).putObject("match").putArray("cookies").addObject().put("name", "canary").put("value", "always");
    return stage;
  }

  private static ObjectNode check(ObjectNode r) {
    return (ObjectNode) spec(r).get("checks").get(0);
  }

  /** Turns the base check into a sequential one and returns its (empty) sequential block. */
  private static ObjectNode sequentialOnly(ObjectNode r) {
    check(r).remove("prometheus");
    check(r).remove("max");
    return check(r).putObject("sequential");
  }

  private static ObjectNode latency(ObjectNode check) {
    return check.putObject("sequentialLatency")
        .put("bucket", "sum(h_bucket{revision=\"{{revision}}\",le=\"{{le}}\"})")
        .put("count", "sum(h_count{revision=\"{{revision}}\"})");
  }

  private static Arguments reject(String why, String field, Consumer<ObjectNode> breakIt) {
    return Arguments.of(why, field, breakIt);
  }

  static Stream<Arguments> invalidReleases() {
    return Stream.of(
        reject("no replicas", "spec.replicas", r -> spec(r).remove("replicas")),
        reject("zero replicas", "spec.replicas", r -> spec(r).put("replicas", 0)),
        reject("maxSurge 0", "spec.maxSurge", r -> spec(r).put("maxSurge", 0)),
        reject("maxSurge 'lots'", "spec.maxSurge", r -> spec(r).put("maxSurge", "lots")),
        reject("no stages", "spec.stages", r -> spec(r).putArray("stages")),
        // Weight 0 is a header-only stage: the CEL rule on spec names the list, not the index.
        reject("weight 0 without trafficRouting and match.headers",
            "spec.stages: Invalid value: \"object\": a stage may have weight 0 only with spec.trafficRouting",
            r -> stage(r, 0).put("weight", 0)),
        reject("weight 0 with a cookie but without trafficRouting",
            "spec.stages: Invalid value: \"object\": a stage may have weight 0 only with spec.trafficRouting",
            r -> cookieOnly(stage(r, 0))),
        reject("two cookies in one stage", "spec.stages[0].match.cookies", r -> ((ArrayNode) cookieOnly(stage(r, 0))
            .get("match").get("cookies")).addObject().put("name", "beta").put("value", "1")),
        reject("weight -1", "spec.stages[0].weight", r -> stage(r, 0).put("weight", -1)),
        reject("weight 101", "spec.stages[2].weight", r -> stage(r, 2).put("weight", 101)),
        reject("weights not increasing", "spec.stages", r -> stage(r, 1).put("weight", 5)),
        reject("last stage not 100", "spec.stages", r -> ((ArrayNode) spec(r).get("stages")).remove(2)),
        reject("duration in words", "spec.stages[0].duration", r -> stage(r, 0).put("duration", "5 minutes")),
        reject("deadline in words", "spec.progressDeadline", r -> spec(r).put("progressDeadline", "ten minutes")),
        reject("stage name not a DNS label", "spec.stages[0].name", r -> stage(r, 0).put("name", "Canary_10")),
        reject("duplicate stage names", "spec.stages", r -> stage(r, 1).put("name", "canary-10")),
        reject("unknown approval", "spec.stages[1].approval", r -> stage(r, 1).put("approval", "Sometimes")),
        reject("check without min or max", "spec.checks[0]", r -> check(r).remove("max")),
        reject("templateRef beside a query", "spec.checks[0]",
            r -> check(r).putObject("templateRef").put("kind", "ClusterCheckTemplate").put("name", "error-rate")),
        reject("args without a templateRef", "spec.checks[0]", r -> check(r).putObject("args").put("service", "web")),
        reject("template kind misspelt", "spec.checks[1].templateRef.kind", r -> {
          ObjectNode c = (ObjectNode) spec(r).withArray("checks").addObject();
          c.putObject("templateRef").put("kind", "ClusterTemplate").put("name", "error-rate");
        }),
        reject("a check with neither name nor templateRef", "spec.checks", r -> check(r).remove("name")),
        reject("empty query", "spec.checks[0].prometheus.query",
            r -> ((ObjectNode) check(r).get("prometheus")).put("query", "   ")),
        reject("min above max", "spec.checks[0]", r -> check(r).put("min", 0.5)),
        reject("failureLimit 0", "spec.checks[0].failureLimit", r -> check(r).put("failureLimit", 0)),
        reject("interval in words", "spec.checks[0].interval", r -> check(r).put("interval", "30 seconds")),
        // durations within the pattern but out of bounds: a tight query loop, a stage that never ends
        reject("interval 0s", "spec.checks[0].interval", r -> check(r).put("interval", "0s")),
        reject("stage duration 9999999h", "spec.stages[0].duration", r -> stage(r, 0).put("duration", "9999999h")),
        reject("stage duration too large for Go", "spec.stages[0].duration",
            r -> stage(r, 0).put("duration", "99999999999999999999h")),
        reject("progressDeadline 0s", "spec.progressDeadline", r -> spec(r).put("progressDeadline", "0s")),
        reject("query timeout 0s", "spec.checks[0].prometheus.timeout",
            r -> ((ObjectNode) check(r).get("prometheus")).put("timeout", "0s")),
        reject("prometheus and sequential together", "spec.checks[0]",
            r -> check(r).putObject("sequential").put("errors", "e").put("requests", "r")),
        reject("compare without a bound", "spec.checks[0].compare",
            r -> check(r).putObject("compare").put("baseline", "stable")),
        reject("false rollback rate above 0.5", "spec.checks[0].sequential.falseRollbackRate", r -> {
          check(r).remove("prometheus");
          check(r).remove("max");
          check(r).putObject("sequential").put("errors", "e").put("requests", "r").put("falseRollbackRate", 0.9);
        }),
        reject("false promotion rate above 0.5", "spec.checks[0].sequential.falsePromotionRate", r -> {
          sequentialOnly(r).put("errors", "e").put("requests", "r").put("falsePromotionRate", 0.9);
        }),
        reject("Release-level false rollback rate above 0.5", "spec.analysis.falseRollbackRate",
            r -> spec(r).putObject("analysis").put("falseRollbackRate", 0.9)),
        reject("sequential and sequentialLatency together", "spec.checks[0]", r -> {
          sequentialOnly(r).put("errors", "e").put("requests", "r");
          latency(check(r)).putArray("slowerThan").add("0.5");
        }),
        reject("latency bucket query without {{le}}", "spec.checks[0].sequentialLatency.bucket", r -> {
          check(r).remove("prometheus");
          check(r).remove("max");
          latency(check(r)).put("bucket", "sum(h_bucket{le=\"0.5\"})").putArray("slowerThan").add("0.5");
        }),
        reject("latency check without buckets", "spec.checks[0].sequentialLatency.slowerThan", r -> {
          check(r).remove("prometheus");
          check(r).remove("max");
          latency(check(r)).putArray("slowerThan");
        }),
        reject("unknown failure policy", "spec.onFailure", r -> spec(r).put("onFailure", "Explode")),
        reject("prometheus URL without scheme", "spec.prometheus.url",
            r -> spec(r).putObject("prometheus").put("url", "prometheus:9090")));
  }

  @ParameterizedTest(name = "{0} -> refused naming {1}")
  @MethodSource("invalidReleases")
  @DisplayName("given an invalid Release, when it is created, then the API server refuses it with a message naming the field")
  void apiServerRefusesInvalidReleases(String why, String field, Consumer<ObjectNode> breakIt) {
    ObjectNode release = valid();
    ((ObjectNode) release.get("metadata")).put("name", "invalid-" + (++counter));
    breakIt.accept(release);
    GenericKubernetesResource resource = JSON.convertValue(release, GenericKubernetesResource.class);

    assertThatThrownBy(() -> apiServer.client().genericKubernetesResources(RELEASES).inNamespace(NS).resource(resource).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).as(why).isEqualTo(422);
          assertThat(e.getMessage()).as(why).contains(field);
        });
  }

  @Test
  @DisplayName("given a routed Release whose first stage has weight 0 and only a cookie match, when it is created, then the API server accepts it")
  void cookieOnlyStageIsAccepted() {
    ObjectNode release = valid();
    ((ObjectNode) release.get("metadata")).put("name", "cookie-only");
    cookieOnly(stage(release, 0));
    spec(release).putObject("trafficRouting").putObject("gatewayAPI").put("httpRoute", "shop")
        .put("stableService", "shop-stable").put("canaryService", "shop-canary").put("port", 80);
    GenericKubernetesResource created = apiServer.client().genericKubernetesResources(RELEASES).inNamespace(NS)
        .resource(JSON.convertValue(release, GenericKubernetesResource.class)).createOr(r -> r.update());
    assertThat(created.getMetadata().getUid()).isNotBlank();
  }

  @Test
  @DisplayName("given the valid Release all cases start from, when it is created, then the API server accepts it (the cases fail only for what they break)")
  void theBaseReleaseIsValid() {
    ObjectNode release = valid();
    ((ObjectNode) release.get("metadata")).put("name", "valid");
    GenericKubernetesResource created = apiServer.client().genericKubernetesResources(RELEASES).inNamespace(NS)
        .resource(JSON.convertValue(release, GenericKubernetesResource.class)).createOr(r -> r.update());
    assertThat(created.getMetadata().getUid()).isNotBlank();
  }
}
