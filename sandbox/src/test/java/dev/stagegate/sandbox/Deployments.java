package dev.stagegate.sandbox;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

/** Test vocabulary: Deployments as an operator would create them, one per app revision. */
final class Deployments {
  private Deployments() {}

  static Deployment revision(String namespace, String app, String revision, int replicas) {
    String name = app + "-" + revision;
    return new DeploymentBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).addToLabels("app", app).endMetadata()
        .withNewSpec()
          .withReplicas(replicas)
          .withNewSelector().addToMatchLabels("app", app).addToMatchLabels("revision", revision).endSelector()
          .withNewTemplate()
            .withNewMetadata().addToLabels("app", app).addToLabels("revision", revision).endMetadata()
            .withNewSpec().addNewContainer().withName("app").withImage("shop:" + revision).endContainer().endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }
}
