package dev.stagegate.routing;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The stable and canary Services the route's backendRefs name, each selecting one revision's pods by the
 * {@value #REVISION_LABEL} label on top of the app's own selector. On promotion the stable Service is pointed at
 * the new revision before the route goes back to all-stable, so no request meets an empty Service.
 */
public final class ServiceSelectors {
  public static final String REVISION_LABEL = "stagegate.dev/revision";
  /** The label the operator's Services carry, and its informer selects on. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "stagegate";

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
          .addToLabels(MANAGED_BY, MANAGER)
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

  /**
   * Whether {@code live} already is what {@code desired} asks for, in every field the operator writes (selector,
   * ports, labels, owner), so that writing it would change nothing. Fields the API server or others set (clusterIP,
   * annotations, extra labels) do not count.
   */
  public static boolean inPlace(Service live, Service desired) {
    if (live == null || live.getSpec() == null) {
      return false;
    }
    Map<String, String> liveLabels = live.getMetadata().getLabels() == null ? Map.of() : live.getMetadata().getLabels();
    boolean owned = desired.getMetadata().getOwnerReferences() == null
        || desired.getMetadata().getOwnerReferences().stream().allMatch(o -> live.getMetadata().getOwnerReferences() != null
            && live.getMetadata().getOwnerReferences().stream().anyMatch(l -> Objects.equals(l.getUid(), o.getUid())
                && Objects.equals(l.getController(), o.getController())));
    return Objects.equals(live.getSpec().getSelector(), desired.getSpec().getSelector())
        && samePorts(live.getSpec().getPorts(), desired.getSpec().getPorts())
        && liveLabels.entrySet().containsAll(desired.getMetadata().getLabels().entrySet())
        && owned;
  }

  private static boolean samePorts(List<ServicePort> live, List<ServicePort> desired) {
    if (live == null || live.size() != desired.size()) {
      return false;
    }
    for (int i = 0; i < desired.size(); i++) {
      ServicePort l = live.get(i);
      ServicePort d = desired.get(i);
      if (!Objects.equals(l.getName(), d.getName()) || !Objects.equals(l.getProtocol(), d.getProtocol())
          || !Objects.equals(l.getPort(), d.getPort()) || !Objects.equals(l.getTargetPort(), d.getTargetPort())) {
        return false;
      }
    }
    return true;
  }
}
