package dev.stagegate.routing;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stable and canary Services the route's backendRefs name, each selecting one revision's pods by the
 * {@value #REVISION_LABEL} label on top of the app's own selector. On promotion the stable Service is pointed at
 * the new revision before the route goes back to all-stable, so no request meets an empty Service.
 */
public final class ServiceSelectors {
  public static final String REVISION_LABEL = "stagegate.dev/revision";

  private ServiceSelectors() {}

  /**
   * @param appSelector the workload's own pod selector (e.g. {@code app: shop})
   * @param targetPort  the pods' port, by number or name
   */
  public static Service service(String namespace, String name, Map<String, String> appSelector, String revision,
      int port, IntOrString targetPort, OwnerReference owner) {
    Map<String, String> selector = new LinkedHashMap<>(appSelector);
    selector.put(REVISION_LABEL, revision);
    ServiceBuilder b = new ServiceBuilder()
        .withNewMetadata()
          .withName(name).withNamespace(namespace)
          .addToLabels("app.kubernetes.io/managed-by", "stagegate")
        .endMetadata()
        .withNewSpec()
          .withSelector(selector)
          .addNewPort().withName("http").withProtocol("TCP").withPort(port).withTargetPort(targetPort).endPort()
        .endSpec();
    if (owner != null) {
      b.editMetadata().withOwnerReferences(owner).endMetadata();
    }
    return b.build();
  }
}
