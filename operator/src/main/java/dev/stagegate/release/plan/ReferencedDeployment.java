package dev.stagegate.release.plan;

/**
 * The Deployment named in spec.workloadRef (or, once removed, in status.workloadRef) as observed.
 *
 * @param replicas its spec.replicas (1 when unset, as the API server defaults it)
 * @param readyReplicas its ready pods
 * @param replicasOurs whether the operator's field manager owns spec.replicas (server-side apply); false means the
 *                     last value was set by someone else (Helm, Argo CD, kubectl scale)
 */
public record ReferencedDeployment(String name, boolean found, int replicas, int readyReplicas, boolean replicasOurs) {
  public static ReferencedDeployment missing(String name) {
    return new ReferencedDeployment(name, false, 0, 0, false);
  }
}
