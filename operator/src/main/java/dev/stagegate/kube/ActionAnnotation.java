package dev.stagegate.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and removes the `stagegate.dev/action` annotation; removal is guarded by the applied value so a
 * new action written meanwhile is not lost.
 */
public final class ActionAnnotation {
  public static final String NAME = "stagegate.dev/action";
  private static final Logger LOG = LoggerFactory.getLogger(ActionAnnotation.class);
  private final KubernetesClient client;

  public ActionAnnotation(KubernetesClient client) {
    this.client = client;
  }

  public static String of(HasMetadata resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(NAME);
  }

  public void remove(HasMetadata resource, String applied) {
    if (applied != null) {
      String path = "/metadata/annotations/" + NAME.replace("~", "~0").replace("/", "~1");
      String patch = "[{\"op\":\"test\",\"path\":\""
        + path
        + "\",\"value\":"
        + Serialization.asJson(applied)
        + "},{\"op\":\"remove\",\"path\":\""
        + path
        + "\"}]";

      try {
        this.client
          .resources(kind(resource))
          .inNamespace(resource.getMetadata().getNamespace())
          .withName(resource.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON), patch);
      } catch (KubernetesClientException e) {
        LOG.warn("could not remove the {} annotation: {}", NAME, e.getMessage());
      }
    }
  }

  private static Class<HasMetadata> kind(HasMetadata resource) {
    return (Class<HasMetadata>)resource.getClass();
  }
}
