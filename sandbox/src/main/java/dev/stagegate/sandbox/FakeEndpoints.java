package dev.stagegate.sandbox;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the kubelet's pods and the EndpointSlice controller for a gateway: fed the {@link FakeKubelet}'s readiness
 * changes, it starts one {@link PodNetwork} pod per ready replica and writes, for every Service with a selector, an
 * EndpointSlice listing the ready pods it selects, which is what a real gateway routes to.
 *
 * <p>Removed pods are listed out of the slice first and stopped {@code terminationGrace} later, as a real pod keeps
 * serving during its grace period. All state lives on one worker thread, so no lock is needed.
 */
public final class FakeEndpoints implements Consumer<DeploymentReadiness>, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FakeEndpoints.class);
  private static final Duration RETRY_AFTER_ERROR = Duration.ofMillis(500);
  static final String FIELD_MANAGER = "stagegate-sandbox-endpoints";
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";

  private final KubernetesClient client;
  private final PodNetwork network;
  private final String namespace;
  private final String revisionLabel;
  private final int podPort;
  private final Duration terminationGrace;
  private final Map<String, List<Pod>> podsByDeployment = new LinkedHashMap<>();
  private final Map<String, Integer> podCounters = new HashMap<>();
  private final Set<String> serving = ConcurrentHashMap.newKeySet();
  private final Map<String, List<Endpoint>> written = new HashMap<>();
  private volatile ScheduledExecutorService worker;
  private volatile SharedIndexInformer<Service> services;

  private FakeEndpoints(Builder b) {
    this.client = b.client;
    this.network = b.network;
    this.namespace = b.namespace;
    this.revisionLabel = b.revisionLabel;
    this.podPort = b.podPort;
    this.terminationGrace = b.terminationGrace;
  }

  public static Builder builder(KubernetesClient client, PodNetwork network) {
    return new Builder(client, network);
  }

  public synchronized FakeEndpoints start() {
    if (worker != null) {
      throw new IllegalStateException("FakeEndpoints already started");
    }
    worker = Executors.newSingleThreadScheduledExecutor(Threads.daemon("fake-endpoints"));
    services = namespace == null
        ? client.services().inAnyNamespace().runnableInformer(0)
        : client.services().inNamespace(namespace).runnableInformer(0);
    services.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Service s) {
        submit(() -> writeSlice(s));
      }

      @Override
      public void onUpdate(Service before, Service after) {
        submit(() -> writeSlice(after));
      }

      @Override
      public void onDelete(Service s, boolean finalStateUnknown) {
        submit(() -> deleteSlice(s));
      }
    });
    services.start().toCompletableFuture().join();
    log.info("FakeEndpoints writing EndpointSlices in {}", namespace == null ? "all namespaces" : namespace);
    return this;
  }

  /** A readiness change from the {@link FakeKubelet}: start or stop pods, then rewrite the slices. */
  @Override
  public void accept(DeploymentReadiness readiness) {
    if (namespace == null || namespace.equals(readiness.namespace())) {
      submit(() -> converge(readiness));
    }
  }

  /** The addresses last written into the EndpointSlice of {@code namespace/service}. */
  public List<String> addresses(String namespace, String service) {
    return call(() -> written.getOrDefault(key(namespace, service), List.of()).stream()
        .flatMap(e -> e.getAddresses().stream()).toList());
  }

  @Override
  public synchronized void close() {
    if (services != null) {
      services.close();
      services = null;
    }
    if (worker != null) {
      Threads.stop(worker);
      worker = null;
    }
    for (String pod : List.copyOf(serving)) {
      stopPod(pod);
    }
  }

  private void converge(DeploymentReadiness r) {
    String deployment = key(r.namespace(), r.name());
    List<Pod> running = podsByDeployment.computeIfAbsent(deployment, k -> new ArrayList<>());
    List<Pod> leaving = new ArrayList<>();
    // A new pod template means new pods: the old ones go, as a rolling update would replace them.
    if (!running.isEmpty() && !running.get(0).labels().equals(r.podLabels())) {
      leaving.addAll(running);
      running.clear();
    }
    while (running.size() > r.readyReplicas()) {
      leaving.add(running.remove(running.size() - 1));
    }
    while (running.size() < r.readyReplicas()) {
      int n = podCounters.merge(deployment, 1, Integer::sum) - 1;
      String name = r.name() + "-" + n;
      String revision = r.podLabels().getOrDefault(revisionLabel, r.name());
      Pod pod = new Pod(r.namespace(), name, r.podLabels(), null);
      InetAddress address = network.startPod(pod.id(), revision, podPort);
      serving.add(pod.id());
      running.add(new Pod(r.namespace(), name, r.podLabels(), address));
    }
    if (running.isEmpty()) {
      podsByDeployment.remove(deployment);
    }
    writeSlicesIn(r.namespace());
    for (Pod pod : leaving) {
      later(() -> stopPod(pod.id()), terminationGrace.toMillis());
    }
  }

  private void stopPod(String id) {
    if (serving.remove(id)) {
      network.stopPod(id);
    }
  }

  private void writeSlicesIn(String ns) {
    SharedIndexInformer<Service> s = services;
    if (s != null) {
      s.getStore().list().stream().filter(svc -> ns.equals(svc.getMetadata().getNamespace())).forEach(this::writeSlice);
    }
  }

  private void writeSlice(Service service) {
    Map<String, String> selector = service.getSpec() == null ? null : service.getSpec().getSelector();
    if (selector == null || selector.isEmpty()) {
      return; // a Service without selector has hand-written endpoints, as in a real cluster
    }
    String ns = service.getMetadata().getNamespace();
    String name = service.getMetadata().getName();
    List<Endpoint> endpoints = podsByDeployment.values().stream()
        .flatMap(Collection::stream)
        .filter(p -> p.namespace().equals(ns) && p.labels().entrySet().containsAll(selector.entrySet()))
        .sorted(Comparator.comparing(Pod::name))
        .map(FakeEndpoints::endpoint)
        .toList();
    String key = key(ns, name);
    if (endpoints.equals(written.get(key))) {
      return;
    }
    try {
      client.resource(slice(service, endpoints)).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
      written.put(key, endpoints);
      log.debug("EndpointSlice {}/{}-sandbox: {} ready endpoints", ns, name, endpoints.size());
    } catch (RuntimeException e) {
      log.warn("Could not write the EndpointSlice of Service {}; retrying: {}", key, e.toString());
      later(() -> {
        Service latest = services == null ? null : services.getStore().getByKey(key);
        if (latest != null) {
          writeSlice(latest);
        }
      }, RETRY_AFTER_ERROR.toMillis());
    }
  }

  private void deleteSlice(Service service) {
    String ns = service.getMetadata().getNamespace();
    String name = service.getMetadata().getName();
    written.remove(key(ns, name));
    try {
      client.discovery().v1().endpointSlices().inNamespace(ns).withName(name + "-sandbox").delete();
    } catch (RuntimeException e) {
      log.warn("Could not delete the EndpointSlice of deleted Service {}/{}: {}", ns, name, e.toString());
    }
  }

  private EndpointSlice slice(Service service, List<Endpoint> endpoints) {
    List<EndpointPort> ports = new ArrayList<>();
    for (ServicePort p : service.getSpec().getPorts()) {
      IntOrString target = p.getTargetPort();
      int port = target != null && target.getIntVal() != null ? target.getIntVal() : podPort;
      ports.add(new EndpointPortBuilder()
          .withName(Objects.requireNonNullElse(p.getName(), ""))
          .withPort(port)
          .withProtocol(Objects.requireNonNullElse(p.getProtocol(), "TCP"))
          .build());
    }
    String serviceName = service.getMetadata().getName();
    return new EndpointSliceBuilder()
        .withNewMetadata()
          .withNamespace(service.getMetadata().getNamespace())
          .withName(serviceName + "-sandbox")
          .addToLabels(SERVICE_NAME_LABEL, serviceName)
          .addToLabels(MANAGED_BY_LABEL, FIELD_MANAGER)
          // Owned by the Service, so deleting the Service removes the slice even if this fake is gone.
          .addNewOwnerReference()
            .withApiVersion("v1").withKind("Service").withName(serviceName).withUid(service.getMetadata().getUid())
          .endOwnerReference()
        .endMetadata()
        .withAddressType("IPv4")
        .withEndpoints(endpoints)
        .withPorts(ports)
        .build();
  }

  private static Endpoint endpoint(Pod pod) {
    return new EndpointBuilder()
        .withAddresses(pod.address().getHostAddress())
        .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
        .withNewTargetRef().withKind("Pod").withNamespace(pod.namespace()).withName(pod.name()).endTargetRef()
        .build();
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }

  private <T> T call(Callable<T> query) {
    ScheduledExecutorService w = worker;
    if (w == null) {
      throw new IllegalStateException("FakeEndpoints is not running");
    }
    try {
      return w.submit(query).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException("FakeEndpoints query failed", e);
    }
  }

  private void submit(Runnable task) {
    later(task, 0);
  }

  private void later(Runnable task, long millis) {
    ScheduledExecutorService w = worker;
    if (w == null || w.isShutdown()) {
      return;
    }
    try {
      w.schedule(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          log.warn("FakeEndpoints task failed: {}", e.toString());
        }
      }, millis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      log.debug("FakeEndpoints closing; dropped a task");
    }
  }

  public static final class Builder {
    private final KubernetesClient client;
    private final PodNetwork network;
    private String namespace;
    private String revisionLabel = "stagegate.dev/revision";
    private int podPort = 8080;
    private Duration terminationGrace = Duration.ZERO;

    private Builder(KubernetesClient client, PodNetwork network) {
      this.client = Objects.requireNonNull(client, "client");
      this.network = Objects.requireNonNull(network, "network");
    }

    public Builder inNamespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** The pod label naming a pod's revision (reported by each answer); the Deployment name when absent. */
    public Builder revisionLabel(String label) {
      this.revisionLabel = Objects.requireNonNull(label);
      return this;
    }

    public Builder podPort(int port) {
      this.podPort = port;
      return this;
    }

    /** How long a removed pod keeps serving after it left the EndpointSlice. */
    public Builder terminationGrace(Duration grace) {
      this.terminationGrace = Objects.requireNonNull(grace);
      return this;
    }

    public FakeEndpoints build() {
      return new FakeEndpoints(this);
    }
  }

  private record Pod(String namespace, String name, Map<String, String> labels, InetAddress address) {
    String id() {
      return namespace + "/" + name;
    }
  }
}
