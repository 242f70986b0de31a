package dev.stagegate.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The applier's requests, checked on the wire against a mock API server in expectation mode (the CRUD mock has no
 * server-side apply): what it sends, under which field manager, and how it answers a concurrent change.
 */
@EnableKubernetesMockClient
class HttpRouteWeightApplierMockServerTest {
  private static final String PATH = "/apis/gateway.networking.k8s.io/v1/namespaces/shop/httproutes/shop";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final GatewayApiRouting ROUTING = GatewayApiRouting.of("shop", "shop-stable", "shop-canary", 80);

  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  @DisplayName("Given a route, when a 1% step is applied, then one server-side apply under stagegate-traffic sends only spec.rules, guarded by the read's resourceVersion")
  void appliesOnlyRules() throws Exception {
    server.expect().get().withPath(PATH).andReturn(200, route("41", "1", "0")).once();
    server.expect().patch().withPath(PATH + "?fieldManager=stagegate-traffic&force=true")
        .andReturn(200, route("42", "99", "1")).once();

    HttpRouteWeightApplier.Written written = new HttpRouteWeightApplier(client)
        .apply("shop", ROUTING, TrafficStep.canaryPercent("1"));

    assertThat(written.changed()).isTrue();
    assertThat(written.weights()).isEqualTo(new BackendWeights(99, 1));
    List<RecordedRequest> requests = drain();
    assertThat(requests).extracting(RecordedRequest::getMethod).containsExactly("GET", "PATCH");
    RecordedRequest patch = requests.get(1);
    assertThat(patch.getHeader("Content-Type")).startsWith("application/apply-patch+yaml");
    JsonNode body = JSON.readTree(patch.getBody().readUtf8());
    assertThat(body.path("metadata").path("resourceVersion").asText()).isEqualTo("41");
    assertThat(fieldNames(body.path("spec"))).containsExactly("rules");
    assertThat(fieldNames(body.path("metadata"))).containsExactlyInAnyOrder("name", "namespace", "resourceVersion");
    assertThat(body.at("/spec/rules/0/backendRefs").toString())
        .isEqualTo("[{\"name\":\"shop-stable\",\"port\":80,\"weight\":99},{\"name\":\"shop-canary\",\"port\":80,\"weight\":1}]");
  }

  @Test
  @DisplayName("Given the route changes between read and write (409), then the applier reads again and applies on the new version")
  void retriesOnConflict() throws Exception {
    server.expect().get().withPath(PATH).andReturn(200, route("41", "1", "0")).once();
    server.expect().patch().withPath(PATH + "?fieldManager=stagegate-traffic&force=true")
        .andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict")
            .withMessage("the object has been modified").build()).once();
    server.expect().get().withPath(PATH).andReturn(200, route("57", "1", "0")).once();
    server.expect().patch().withPath(PATH + "?fieldManager=stagegate-traffic&force=true")
        .andReturn(200, route("58", "19", "1")).once();

    HttpRouteWeightApplier.Written written = new HttpRouteWeightApplier(client)
        .apply("shop", ROUTING, TrafficStep.canaryPercent("5"));

    assertThat(written.attempts()).isEqualTo(2);
    List<RecordedRequest> requests = drain();
    assertThat(requests).extracting(RecordedRequest::getMethod).containsExactly("GET", "PATCH", "GET", "PATCH");
    assertThat(JSON.readTree(requests.get(3).getBody().readUtf8()).at("/metadata/resourceVersion").asText())
        .isEqualTo("57");
  }

  @Test
  @DisplayName("Given a route already at the step's weights, then nothing is written")
  void noWriteWhenUnchanged() throws Exception {
    server.expect().get().withPath(PATH).andReturn(200, route("41", "19", "1")).once();

    HttpRouteWeightApplier.Written written = new HttpRouteWeightApplier(client)
        .apply("shop", ROUTING, TrafficStep.canaryPercent("5"));

    assertThat(written.changed()).isFalse();
    assertThat(drain()).extracting(RecordedRequest::getMethod).containsExactly("GET");
  }

  @Test
  @DisplayName("Given the route does not exist, then the error names it and says what to create")
  void missingRoute() {
    server.expect().get().withPath(PATH).andReturn(404, new StatusBuilder().withCode(404).build()).once();

    assertThatThrownBy(() -> new HttpRouteWeightApplier(client).apply("shop", ROUTING, TrafficStep.canaryPercent("5")))
        .isInstanceOf(RouteShapeException.class)
        .hasMessageStartingWith("HTTPRoute shop/shop does not exist: create it with a rule whose backendRef names"
            + " the stable Service");
  }

  private static HTTPRoute route(String resourceVersion, String stableWeight, String canaryWeight) {
    String canary = "0".equals(canaryWeight) ? "" : "\n    - {name: shop-canary, port: 80, weight: " + canaryWeight + "}";
    return Serialization.unmarshal("""
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: shop, namespace: shop, resourceVersion: "%s", generation: 3}
        spec:
          parentRefs: [{name: public}]
          rules:
          - backendRefs:
            - {name: shop-stable, port: 80, weight: %s}%s
        """.formatted(resourceVersion, stableWeight, canary), HTTPRoute.class);
  }

  private List<RecordedRequest> drain() throws InterruptedException {
    List<RecordedRequest> all = new ArrayList<>();
    RecordedRequest r;
    while ((r = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
      all.add(r);
    }
    return all;
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
