package dev.stagegate.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An informer store that drops {@code metadata.managedFields} from each object as it is cached. A real API server
 * records every field manager's fields there as nested JSON maps; profiling the scale benchmark at 1,000 Releases
 * showed them as more than half of the live heap, and nothing the operator decides reads them (apart from one
 * field manager's entry, which {@link #keeping} retains). Writes from these objects are unaffected: an update that
 * omits managedFields leaves the server's record as it was.
 *
 * <p>JOSDK hands one store instance to every informer of an event source, one per watched namespace, and a store
 * shared between informers would lose one namespace's objects when another relists; so this store is used only when
 * the event source runs a single informer (all namespaces, or one), see {@link #fitsOneInformer}.
 */
public final class LeanItemStore<T extends HasMetadata> extends BasicItemStore<T> {
  private final Predicate<ManagedFieldsEntry> keep;

  private LeanItemStore(Predicate<ManagedFieldsEntry> keep) {
    super(Cache::metaNamespaceKeyFunc);
    this.keep = keep;
  }

  /** Drops every managedFields entry. */
  public static <T extends HasMetadata> LeanItemStore<T> dropping() {
    return new LeanItemStore<>(e -> false);
  }

  /** Keeps only the entries of one field manager (e.g. to tell whether this operator still owns a field). */
  public static <T extends HasMetadata> LeanItemStore<T> keeping(String fieldManager) {
    return new LeanItemStore<>(e -> fieldManager.equals(e.getManager()));
  }

  /** Whether an event source over these namespaces (JOSDK's configuration) runs one informer, so may use this store. */
  public static boolean fitsOneInformer(Set<String> namespaces) {
    return namespaces != null && namespaces.size() <= 1;
  }

  /**
   * A dropping store for a secondary event source that follows its controller's namespaces, or null (JOSDK's own
   * store) when the controller watches several namespaces.
   */
  public static <T extends HasMetadata> LeanItemStore<T> forSource(EventSourceContext<?> context) {
    return fitsOneInformer(context.getControllerConfiguration().getEffectiveNamespaces()) ? dropping() : null;
  }

  /** As {@link #forSource(EventSourceContext)}, keeping one field manager's entries. */
  public static <T extends HasMetadata> LeanItemStore<T> forSource(EventSourceContext<?> context, String fieldManager) {
    return fitsOneInformer(context.getControllerConfiguration().getEffectiveNamespaces()) ? keeping(fieldManager) : null;
  }

  @Override
  public T put(String key, T obj) {
    ObjectMeta meta = obj == null ? null : obj.getMetadata();
    if (meta != null && meta.getManagedFields() != null && !meta.getManagedFields().isEmpty()) {
      List<ManagedFieldsEntry> kept = new ArrayList<>();
      for (ManagedFieldsEntry e : meta.getManagedFields()) {
        if (keep.test(e)) {
          kept.add(e);
        }
      }
      meta.setManagedFields(kept);
    }
    return super.put(key, obj);
  }
}
