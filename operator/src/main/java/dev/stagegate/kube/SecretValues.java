package dev.stagegate.kube;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Reads a Secret's values by name, `get` only: the operator never lists or watches Secrets. */
public final class SecretValues {
  private final KubernetesClient client;

  public SecretValues(KubernetesClient client) {
    this.client = client;
  }

  /** Empty when the Secret does not exist. Values are decoded; callers must never log them. */
  public Optional<Map<String, String>> read(String namespace, String name) {
    return readAnnotated(namespace, name).map(Annotated::values);
  }

  /** The values with the Secret's annotations (which say what the values are for). */
  public Optional<Annotated> readAnnotated(String namespace, String name) {
    Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
    if (secret == null) {
      return Optional.empty();
    }
    Map<String, String> annotations = secret.getMetadata().getAnnotations() == null ? Map.of()
        : Map.copyOf(secret.getMetadata().getAnnotations());
    Map<String, String> values = new HashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> values.put(k,
          new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return Optional.of(new Annotated(values, annotations));
  }

  public record Annotated(Map<String, String> values, Map<String, String> annotations) {
  }
}
