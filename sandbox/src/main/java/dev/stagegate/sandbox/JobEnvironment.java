package dev.stagegate.sandbox;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves a Job's first container environment the way the kubelet does before starting it, so a handler sees the
 * database URL or password an operator put in a Secret rather than a reference to it.
 *
 * <p>A required Secret or ConfigMap key that is missing stops the container from starting in a real cluster
 * ({@code CreateContainerConfigError}); here it raises {@link MissingReference}, and the runner fails the Job.
 */
final class JobEnvironment {

  /** A required env source is missing. The message names the object and key, never a value. */
  static final class MissingReference extends RuntimeException {
    MissingReference(String message) {
      super(message);
    }
  }

  private JobEnvironment() {}

  static Map<String, String> resolve(KubernetesClient client, Job job) {
    String namespace = job.getMetadata().getNamespace();
    List<Container> containers = job.getSpec().getTemplate().getSpec().getContainers();
    Map<String, String> env = new LinkedHashMap<>();
    if (containers == null || containers.isEmpty() || containers.get(0).getEnv() == null) {
      return env;
    }
    for (EnvVar var : containers.get(0).getEnv()) {
      String value = valueOf(client, namespace, var);
      if (value != null) {
        env.put(var.getName(), value);
      }
    }
    return env;
  }

  private static String valueOf(KubernetesClient client, String namespace, EnvVar var) {
    if (var.getValueFrom() == null) {
      return var.getValue() == null ? "" : var.getValue();
    }
    SecretKeySelector secretRef = var.getValueFrom().getSecretKeyRef();
    if (secretRef != null) {
      Secret secret = client.secrets().inNamespace(namespace).withName(secretRef.getName()).get();
      String value = secret == null ? null : secretValue(secret, secretRef.getKey());
      return requireUnlessOptional(value, secretRef.getOptional(), "secret", secretRef.getName(), secretRef.getKey());
    }
    ConfigMapKeySelector configRef = var.getValueFrom().getConfigMapKeyRef();
    if (configRef != null) {
      ConfigMap map = client.configMaps().inNamespace(namespace).withName(configRef.getName()).get();
      String value = map == null || map.getData() == null ? null : map.getData().get(configRef.getKey());
      return requireUnlessOptional(value, configRef.getOptional(), "configmap", configRef.getName(),
          configRef.getKey());
    }
    // fieldRef and resourceFieldRef describe a pod that does not exist here.
    return null;
  }

  private static String secretValue(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().containsKey(key)) {
      return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
    }
    // The API server folds stringData into data; the mock server may keep it as written.
    return secret.getStringData() == null ? null : secret.getStringData().get(key);
  }

  private static String requireUnlessOptional(String value, Boolean optional, String kind, String name,
      String key) {
    if (value == null && !Boolean.TRUE.equals(optional)) {
      throw new MissingReference("CreateContainerConfigError: " + kind + " \"" + name + "\" has no key \"" + key
          + "\"");
    }
    return value;
  }
}
