package dev.stagegate.release;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.analysis.PrometheusAuth;
import dev.stagegate.api.release.GatewayApiTraffic;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.TrafficRouting;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.Releases;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A cluster without the Gateway API CRDs: the operator must not start its HTTPRoute informer there (an informer on a
 * missing kind fails), and Releases that split by replica share must run as before.
 */
@EnableKubernetesMockClient(crud = true)
class RouteInformerMockServerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  static KubernetesClient client;
  static KubernetesMockServer server;

  @Test
  @DisplayName("given a cluster whose API server serves no gateway.networking.k8s.io/v1, when a routed Release and a plain one are reconciled, then no HTTPRoute is listed or watched, the routed one reports its route refused, and the plain one is promoted")
  void noGatewayApiNoInformer() throws Exception {
    // Discovery says the group/version does not exist, as on a cluster without the CRDs.
    server.expect().get().withPath("/apis/gateway.networking.k8s.io/v1")
        .andReturn(404, "{\"kind\":\"Status\",\"status\":\"Failure\",\"code\":404,\"reason\":\"NotFound\"}").always();
    try (OperatorHarness harness = new OperatorHarness(client, "plain", OperatorSettings.forTests("http://unused"),
        MetricsSources.prometheus("http://127.0.0.1:9", PrometheusAuth.none())).start()) {
      Release routed = Releases.named("routed", "plain").stage("canary-10", 10, "200ms").stage("full", 100, null)
          .build();
      GatewayApiTraffic g = new GatewayApiTraffic();
      g.setHttpRoute("routed");
      g.setStableService("routed-stable");
      g.setCanaryService("routed-canary");
      g.setPort(80);
      routed.getSpec().setTrafficRouting(new TrafficRouting(g));
      harness.apply(routed);
      harness.apply(Releases.named("plain", "plain").stage("canary-10", 10, "200ms").stage("full", 100, null).build());

      harness.awaitPhase("plain", ReleasePhase.Promoted, WAIT);
      harness.changeImage("plain", "example.com/plain:v2");
      harness.awaitStatus("plain", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
          && r.getStatus().getCanaryRevision() == null && r.getMetadata().getGeneration() > 1
          && r.getStatus().getObservedGeneration() != null
          && r.getStatus().getObservedGeneration().equals(r.getMetadata().getGeneration()), WAIT);
      Release seen = harness.awaitStatus("routed", r -> r.getStatus() != null
          && r.getStatus().getTrafficRouting() != null && "Refused".equals(r.getStatus().getTrafficRouting().getRoute()),
          WAIT);
      System.out.println("routed Release without the Gateway API: " + seen.getStatus().getTrafficRouting().getMessage());
    }

    List<String> paths = new ArrayList<>();
    for (RecordedRequest r; (r = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null; ) {
      paths.add(r.getMethod() + " " + r.getPath());
    }
    assertThat(paths).as("discovery was asked").anyMatch(p -> p.equals("GET /apis/gateway.networking.k8s.io/v1"));
    assertThat(paths).as("no informer on HTTPRoutes").noneMatch(p -> p.contains("/httproutes?"));
  }
}
