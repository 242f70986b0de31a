package dev.stagegate.sandbox;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

/** Test vocabulary: Jobs as an operator would create them for a migration step. */
final class Jobs {
  private Jobs() {}

  static Job job(String namespace, String name, EnvVar... env) {
    return new JobBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withNewSpec()
          .withBackoffLimit(2)
          .withNewTemplate()
            .withNewSpec()
              .withRestartPolicy("Never")
              .addNewContainer().withName("load").withImage("loader:1").withEnv(env).endContainer()
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  static EnvVar env(String name, String value) {
    return new EnvVar(name, value, null);
  }
}
