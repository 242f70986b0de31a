package dev.stagegate.kube;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the leader-election Lease back when the operator stops gracefully, so a standby takes over within its retry
 * period instead of waiting out the lease duration. JOSDK 5.2.3 cannot do it: it builds Fabric8's elector with
 * releaseOnCancel off and keeps the elector private. This runs after the operator stopped (no reconcile in flight) and
 * writes what client-go's ReleaseOnCancel writes: no holder, renewed now, a duration of one second. It only touches a
 * Lease this instance still holds, with the Lease's resourceVersion (a standby that took over meanwhile wins).
 */
public final class LeaseHandback {
  private static final Logger LOG = LoggerFactory.getLogger(LeaseHandback.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;

  public LeaseHandback(KubernetesClient client, String namespace, String name, String identity) {
    this.client = client;
    this.namespace = namespace != null ? namespace : client.getNamespace();
    this.name = name;
    // JOSDK would make one up itself; this instance needs to know it to recognise its own Lease.
    this.identity = identity != null ? identity
        : Optional.ofNullable(System.getenv("HOSTNAME")).orElse("stagegate") + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public String identity() {
    return identity;
  }

  /** True when the Lease was held by this instance and is now free; never throws. */
  public boolean release() {
    if (namespace == null) {
      return false;
    }
    try {
      Lease lease = client.leases().inNamespace(namespace).withName(name).get();
      if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return false;
      }
      lease.getSpec().setHolderIdentity("");
      lease.getSpec().setLeaseDurationSeconds(1);
      lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
      client.leases().inNamespace(namespace).resource(lease).update();
      LOG.info("released Lease {}/{} held by {}", namespace, name, identity);
      return true;
    } catch (KubernetesClientException e) {
      LOG.info("could not release Lease {}/{} ({}): a standby takes over when it expires", namespace, name,
          e.getCode() == 0 ? e.getClass().getSimpleName() : "HTTP " + e.getCode());
      return false;
    }
  }
}
