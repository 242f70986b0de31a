package dev.stagegate.apiserver;

import dev.stagegate.api.common.PrometheusSource;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.common.SecretRef;
import dev.stagegate.release.ReleaseFlowScenarios;
import dev.stagegate.testing.ApiServerTier;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.Releases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same Release scenarios on a real kube-apiserver + etcd: the CRD schema and CEL rules apply,
 * and the operator runs with JOSDK's defaults — status written with server-side apply.
 */
@Tag("apiserver")
class ReleaseFlowApiServerTest extends ReleaseFlowScenarios {
  @RegisterExtension
  static final ApiServerTier apiServer = ApiServerTier.connect();
  private static int run;
  private OperatorHarness harness;

  @BeforeEach
  void startOperator() {
    harness = new OperatorHarness(apiServer.client(), "flow-" + (++run), ApiServerTier.settings(), metrics).start();
  }

  @AfterEach
  void stopOperator() {
    harness.close();
  }

  @Override
  protected OperatorHarness harness() {
    return harness;
  }

  /** A Secret in another namespace: no CRD schema can refuse it (CEL cannot see metadata.namespace); the operator does. */
  @Override
  protected String applyInvalidRelease(String name) {
    Release release = Releases.named(name, "shop").stage("a", 50, "1s").stage("b", 100, "1s").build();
    SecretRef elsewhere = new SecretRef("prom-auth");
    elsewhere.setNamespace("kube-system");
    release.getSpec().setPrometheus(new PrometheusSource("http://prometheus:9090", elsewhere));
    harness.apply(release);
    return name;
  }

  @Override
  protected String invalidField() {
    return "spec.prometheus.secretRef.namespace";
  }
}
