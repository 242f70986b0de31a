package dev.stagegate.demo;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.function.Consumer;

/** Hands every added or changed resource of a kind (in a namespace, or all when null) to the live view, like `kubectl get -w`. */
final class Watcher<T extends HasMetadata> implements AutoCloseable {
  private final SharedIndexInformer<T> informer;

  Watcher(KubernetesClient client, Class<T> type, String namespace, Consumer<T> onChange) {
    var resources = client.resources(type);
    this.informer = (namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace)).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(T resource) {
        onChange.accept(resource);
      }

      @Override
      public void onUpdate(T before, T after) {
        onChange.accept(after);
      }

      @Override
      public void onDelete(T resource, boolean finalStateUnknown) {
        // the demo deletes nothing it watches
      }
    }, 0);
  }

  @Override
  public void close() {
    informer.close();
  }
}
