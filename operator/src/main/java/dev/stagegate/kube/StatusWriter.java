package dev.stagegate.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.function.Supplier;

/**
 * Writes a resource's status, and is the commit point of a reconcile: side effects (scaling, Jobs,
 * Events) happen only after the status that decided them is stored. The write carries the
 * resourceVersion the decision was based on, so a reconcile that ran on a stale cache is refused
 * (409) instead of repeating a rollback or a stage.
 *
 * <p>Server-side apply with our own field manager in production; a status replace where the API
 * server cannot apply (the Fabric8 mock server).
 */
public final class StatusWriter {
  public static final String FIELD_MANAGER = "stagegate-operator";

  private final KubernetesClient client;
  private final boolean serverSideApply;

  public StatusWriter(KubernetesClient client, boolean serverSideApply) {
    this.client = client;
    this.serverSideApply = serverSideApply;
  }

  /**
   * @param blank creates an empty resource of the kind, to carry only identity and status
   * @return false when the resource changed since it was read (stale): the caller must not act
   */
  public <R extends HasMetadata> boolean write(R current, R withStatus, Supplier<R> blank) {
    ObjectMeta meta = current.getMetadata();
    try {
      if (serverSideApply) {
        R patch = blank.get();
        patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(meta.getName()).withNamespace(meta.getNamespace())
            .withResourceVersion(meta.getResourceVersion()).build());
        copyStatus(withStatus, patch);
        client.resource(patch).subresource("status").patch(new PatchContext.Builder()
            .withPatchType(PatchType.SERVER_SIDE_APPLY).withFieldManager(FIELD_MANAGER).withForce(true).build());
      } else {
        withStatus.getMetadata().setResourceVersion(meta.getResourceVersion());
        client.resource(withStatus).updateStatus();
      }
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return false;
      }
      throw e;
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <R extends HasMetadata> void copyStatus(R from, R to) {
    if (from instanceof io.fabric8.kubernetes.client.CustomResource source
        && to instanceof io.fabric8.kubernetes.client.CustomResource target) {
      target.setStatus(source.getStatus());
    } else {
      throw new IllegalArgumentException("status writes are for custom resources, got " + from.getKind());
    }
  }
}
