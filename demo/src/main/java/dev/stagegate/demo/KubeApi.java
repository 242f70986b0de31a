package dev.stagegate.demo;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.Optional;

/** The Kubernetes API the demo's operator talks to: the real kube-apiserver + etcd, or the Fabric8 CRUD mock. */
public interface KubeApi extends AutoCloseable {
  /** One line for the start of the demo, e.g. "kube-apiserver 1.34.4 + etcd (real)". */
  String description();

  KubernetesClient client();

  /** True for the real API server: server-side apply, schema validation, kubectl works against it. */
  boolean real();

  /** Writes a kubeconfig for kubectl; empty when this API cannot serve kubectl. */
  Optional<Path> writeKubeconfig(Path file);

  @Override
  void close();
}
