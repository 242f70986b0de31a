package dev.stagegate.testing;

import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.WorkloadRef;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** A Deployment as a team had it before Stagegate (app=NAME), and a Release that adopts it through spec.workloadRef. */
public final class AdoptedDeployments {
  private AdoptedDeployments() {
  }

  public static Deployment legacy(String namespace, String name, int replicas, String image) {
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).addToLabels("app", name).endMetadata()
        .withNewSpec()
          .withReplicas(replicas)
          .withNewSelector().addToMatchLabels("app", name).endSelector()
          .withNewTemplate()
            .withNewMetadata().addToLabels("app", name).endMetadata()
            .withNewSpec().addNewContainer().withName("app").withImage(image).endContainer().endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  public static Deployment create(KubernetesClient client, String namespace, String name, int replicas, String image) {
    return client.apps().deployments().inNamespace(namespace).resource(legacy(namespace, name, replicas, image)).create();
  }

  /** A Release of {@code replicas} pods selecting app=DEPLOYMENT, with its template taken from that Deployment. */
  public static Release adopting(Releases release, String deployment) {
    Release built = release.build();
    built.getSpec().setTemplate(null);
    built.getSpec().getSelector().getMatchLabels().put("app", deployment);
    built.getSpec().setWorkloadRef(new WorkloadRef(deployment));
    return built;
  }

  /** Edits the Deployment as a person would, trying again when the fake kubelet wrote its status in between. */
  public static Deployment edit(KubernetesClient client, String namespace, String name,
      java.util.function.UnaryOperator<Deployment> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return client.apps().deployments().inNamespace(namespace).withName(name).edit(change);
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 20) {
          throw e;
        }
      }
    }
  }

  public static int replicas(KubernetesClient client, String namespace, String name) {
    Deployment d = client.apps().deployments().inNamespace(namespace).withName(name).get();
    return d == null || d.getSpec().getReplicas() == null ? -1 : d.getSpec().getReplicas();
  }
}
