package dev.stagegate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The stable and canary Services are written only when they differ from what the Release asks for: counted on the
 * wire against a mock API server in expectation mode, with the Services as a cache would hold them.
 */
@EnableKubernetesMockClient
class TrafficRouterServicesMockServerTest {
  private static final GatewayApiRouting ROUTING = GatewayApiRouting.of("shop", "shop-stable", "shop-canary", 80);
  private static final Map<String, String> APP = Map.of("app", "shop");
  private static final IntOrString TARGET = new IntOrString(8080);
  private static final OwnerReference OWNER = new OwnerReferenceBuilder().withApiVersion("stagegate.dev/v1alpha1")
      .withKind("Release").withName("shop").withUid("uid-1").withController(true).withBlockOwnerDeletion(true).build();

  KubernetesMockServer server;
  KubernetesClient client;
  /** What the cache holds, by name; what the API server would answer. */
  private final Map<String, Service> cached = new HashMap<>();

  @Test
  @DisplayName("given both Services as desired, when a reconcile applies them again, then nothing is written; when the canary changes revision, then only the canary Service is written")
  void writesOnlyWhatDiffers() throws Exception {
    for (String name : List.of("shop-stable", "shop-canary")) {
      server.expect().patch()
          .withPath("/api/v1/namespaces/shop/services/" + name + "?fieldManager=stagegate-traffic&force=true")
          .andReturn(200, live(name, "r1")).always();
    }
    TrafficRouter router = new TrafficRouter(client, RouteReader.apiServer(client), (ns, name) -> cached.get(name));

    int first = router.applyServices("shop", ROUTING, APP, "r1", "r2", TARGET, OWNER);
    cached.put("shop-stable", live("shop-stable", "r1"));
    cached.put("shop-canary", live("shop-canary", "r2"));
    int again = 0;
    for (int reconcile = 0; reconcile < 5; reconcile++) {
      again += router.applyServices("shop", ROUTING, APP, "r1", "r2", TARGET, OWNER);
    }
    List<String> afterFirst = drain();
    int canaryMoved = router.applyServices("shop", ROUTING, APP, "r1", "r3", TARGET, OWNER);

    assertThat(first).isEqualTo(2);
    assertThat(again).as("writes in 5 reconciles with nothing to change").isZero();
    assertThat(afterFirst).containsExactly(
        "PATCH /api/v1/namespaces/shop/services/shop-stable?fieldManager=stagegate-traffic&force=true",
        "PATCH /api/v1/namespaces/shop/services/shop-canary?fieldManager=stagegate-traffic&force=true");
    assertThat(canaryMoved).isEqualTo(1);
    assertThat(drain()).containsExactly(
        "PATCH /api/v1/namespaces/shop/services/shop-canary?fieldManager=stagegate-traffic&force=true");
  }

  @Test
  @DisplayName("given a Service someone edited (another selector, another port, no owner) or with extra fields the API server set, then only the edits count as a difference")
  void comparesOnlyWhatTheOperatorWrites() {
    Service desired = ServiceSelectors.service("shop", "shop-stable", APP, "r1", 80, TARGET, OWNER);

    Service asStored = live("shop-stable", "r1");
    asStored.getSpec().setClusterIP("10.96.0.12");
    asStored.getMetadata().getLabels().put("team", "shop");
    Service otherSelector = live("shop-stable", "r1");
    otherSelector.getSpec().getSelector().put("stagegate.dev/revision", "r0");
    Service otherPort = live("shop-stable", "r1");
    otherPort.getSpec().getPorts().get(0).setTargetPort(new IntOrString("http"));
    Service noOwner = live("shop-stable", "r1");
    noOwner.getMetadata().setOwnerReferences(null);

    assertThat(ServiceSelectors.inPlace(asStored, desired)).isTrue();
    assertThat(ServiceSelectors.inPlace(otherSelector, desired)).isFalse();
    assertThat(ServiceSelectors.inPlace(otherPort, desired)).isFalse();
    assertThat(ServiceSelectors.inPlace(noOwner, desired)).isFalse();
    assertThat(ServiceSelectors.inPlace(null, desired)).isFalse();
  }

  /** The Service as the API server stores it after the operator's apply. */
  private static Service live(String name, String revision) {
    Service s = ServiceSelectors.service("shop", name, APP, revision, 80, TARGET, OWNER);
    return new ServiceBuilder(s).editMetadata().withResourceVersion("7").withUid("svc-" + name).endMetadata().build();
  }

  private List<String> drain() throws InterruptedException {
    List<String> requests = new ArrayList<>();
    for (RecordedRequest r; (r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null; ) {
      requests.add(r.getMethod() + " " + r.getPath());
    }
    return requests;
  }
}
