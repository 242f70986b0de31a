package dev.stagegate.sandbox;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the deployment controller and the kubelets for {@code apps/v1} Deployments: test API servers run no
 * controllers, so without this a Deployment's status never says its pods are up.
 *
 * <p>Each new generation of a Deployment gets its pods ready after a readiness delay; until then the pods that were
 * ready stay ready (as in a rolling update). Deployments matched by the never-ready rule keep 0 ready pods, like a
 * crash-looping canary, and turn {@code Progressing=False/ProgressDeadlineExceeded} once
 * {@code spec.progressDeadlineSeconds} (default 600) has passed.
 *
 * <p>All decisions happen on one thread, so the per-Deployment state needs no locking. Status is written through the
 * status subresource with re-read on conflict, which a real kube-apiserver requires and the CRUD mock accepts. By
 * default the writes happen on that thread too; with {@link Builder#statusWriters} they go to that many writer threads,
 * each Deployment always to the same one so its writes stay in order: at thousands of Deployments one thread doing a
 * GET and a PUT per change falls minutes behind, and the operator's progress deadline would judge the kubelet.
 */
public final class FakeKubelet implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(FakeKubelet.class);
  private static final Duration RETRY_AFTER_ERROR = Duration.ofMillis(500);
  private static final long DEFAULT_PROGRESS_DEADLINE_SECONDS = 600;

  private final KubernetesClient client;
  private final String namespace;
  private final Function<Deployment, Duration> readinessDelay;
  private final Predicate<Deployment> neverReady;
  private final Consumer<DeploymentReadiness> readinessListener;
  private final Clock clock;
  private final Duration resyncInterval;
  private final int statusWriters;

  /** Pods per Deployment uid; touched only on the worker thread. */
  private final Map<String, Pods> podsByUid = new HashMap<>();
  private volatile ScheduledExecutorService worker;
  private volatile SharedIndexInformer<Deployment> informer;
  /** One single-thread executor per writer, so a Deployment's writes keep their order; empty when writing inline. */
  private volatile List<ExecutorService> writers = List.of();
  /** The write queued or running per Deployment, so the once-a-second pass does not queue the same one again. */
  private final Map<String, String> pendingWrites = new ConcurrentHashMap<>();

  /** What the kubelet remembers of one Deployment's pods. */
  private static final class Pods {
    long generation;
    Instant generationSeenAt;
    int ready;
    int reportedReady = -1;
    /** Wake-ups already scheduled, so repeated events do not pile up identical timers. */
    final Set<Instant> wakeUps = new HashSet<>();
  }

  private FakeKubelet(Builder b) {
    this.client = b.client;
    this.namespace = b.namespace;
    this.readinessDelay = b.readinessDelay;
    this.neverReady = b.neverReady;
    this.readinessListener = b.readinessListener;
    this.clock = b.clock;
    this.resyncInterval = b.resyncInterval;
    this.statusWriters = b.statusWriters;
  }

  public static Builder builder(KubernetesClient client) {
    return new Builder(client);
  }

  /** Starts watching and returns once the existing Deployments are listed (their status follows shortly). */
  public synchronized FakeKubelet start() {
    if (worker != null) {
      throw new IllegalStateException("FakeKubelet already started");
    }
    worker = Executors.newSingleThreadScheduledExecutor(Threads.daemon("fake-kubelet"));
    if (statusWriters > 1) {
      List<ExecutorService> pool = new ArrayList<>();
      for (int i = 0; i < statusWriters; i++) {
        pool.add(Executors.newSingleThreadExecutor(Threads.daemon("fake-kubelet-writer-" + i)));
      }
      writers = List.copyOf(pool);
    }
    var deployments = client.apps().deployments();
    informer = (namespace == null ? deployments.inAnyNamespace() : deployments.inNamespace(namespace))
        .runnableInformer(0);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Deployment d) {
        enqueue(Cache.metaNamespaceKeyFunc(d));
      }

      @Override
      public void onUpdate(Deployment before, Deployment after) {
        enqueue(Cache.metaNamespaceKeyFunc(after));
      }

      @Override
      public void onDelete(Deployment d, boolean finalStateUnknown) {
        submit(() -> forget(d));
      }
    });
    informer.start().toCompletableFuture().join();
    // Periodic passes catch what no event announces: a never-ready rule or readiness delay that changed at runtime.
    worker.scheduleWithFixedDelay(this::reconcileAll, resyncInterval.toMillis(), resyncInterval.toMillis(),
        TimeUnit.MILLISECONDS);
    log.info("FakeKubelet watching Deployments in {}", namespace == null ? "all namespaces" : namespace);
    return this;
  }

  /** Re-evaluates every Deployment now, e.g. after the never-ready rule's answer changed. */
  public void resync() {
    submit(this::reconcileAll);
  }

  @Override
  public synchronized void close() {
    if (informer != null) {
      informer.close();
      informer = null;
    }
    if (worker != null) {
      Threads.stop(worker);
      worker = null;
    }
    writers.forEach(Threads::stop);
    writers = List.of();
  }

  private void enqueue(String key) {
    submit(() -> reconcile(key));
  }

  /** Events can still arrive while closing; they are dropped then. */
  private void submit(Runnable task) {
    ScheduledExecutorService w = worker;
    if (w != null && !w.isShutdown()) {
      try {
        w.execute(task);
      } catch (RejectedExecutionException closing) {
        log.debug("FakeKubelet closing; dropped an event");
      }
    }
  }

  private void later(Runnable task, long millis) {
    ScheduledExecutorService w = worker;
    if (w != null && !w.isShutdown()) {
      try {
        w.schedule(task, millis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closing) {
        log.debug("FakeKubelet closing; dropped a wake-up");
      }
    }
  }

  private void reconcileAll() {
    SharedIndexInformer<Deployment> i = informer;
    if (i != null) {
      i.getStore().listKeys().forEach(this::reconcile);
    }
  }

  private void reconcile(String key) {
    SharedIndexInformer<Deployment> i = informer;
    Deployment d = i == null ? null : i.getStore().getByKey(key);
    if (d == null) {
      return;
    }
    try {
      Instant now = clock.instant();
      Pods pods = podsFor(d, now);
      boolean crashLooping = neverReady.test(d);
      int desired = SimulatedDeploymentStatus.desiredReplicas(d);
      Instant readyAt = pods.generationSeenAt.plus(readinessDelay.apply(d));
      Instant deadline = pods.generationSeenAt.plusSeconds(progressDeadlineSeconds(d));

      if (crashLooping) {
        pods.ready = 0;
      } else if (!now.isBefore(readyAt)) {
        pods.ready = desired;
      } else {
        pods.ready = Math.min(pods.ready, desired);
        wakeUpAt(key, pods, readyAt, now);
      }
      boolean deadlineExceeded = pods.ready < desired && !now.isBefore(deadline);
      if (pods.ready < desired && !deadlineExceeded) {
        wakeUpAt(key, pods, deadline, now);
      }
      writeStatus(key, d, pods.ready, deadlineExceeded, now);
      report(d, pods, desired);
    } catch (RuntimeException e) {
      log.warn("Could not update status of Deployment {}; retrying: {}", key, e.toString());
      later(() -> reconcile(key), RETRY_AFTER_ERROR.toMillis());
    }
  }

  /** Starts the readiness clock again whenever the spec changes, as new pods would be created then. */
  private Pods podsFor(Deployment d, Instant now) {
    long generation = Objects.requireNonNullElse(d.getMetadata().getGeneration(), 0L);
    Pods pods = podsByUid.computeIfAbsent(d.getMetadata().getUid(), uid -> new Pods());
    if (pods.generationSeenAt == null || pods.generation != generation) {
      pods.generation = generation;
      pods.generationSeenAt = now;
    }
    return pods;
  }

  private void writeStatus(String key, Deployment cached, int ready, boolean deadlineExceeded, Instant now) {
    DeploymentStatus wanted = SimulatedDeploymentStatus.next(cached, ready, deadlineExceeded, now);
    if (SimulatedDeploymentStatus.sameIgnoringTimestamps(cached.getStatus(), wanted)) {
      return;
    }
    List<ExecutorService> pool = writers;
    if (pool.isEmpty()) {
      putStatus(cached, ready, deadlineExceeded, now);
      return;
    }
    String write = cached.getMetadata().getGeneration() + "/" + ready + "/" + deadlineExceeded;
    if (write.equals(pendingWrites.put(key, write))) {
      return;
    }
    ExecutorService writer = pool.get(Math.floorMod(key.hashCode(), pool.size()));
    try {
      writer.execute(() -> {
        try {
          putStatus(cached, ready, deadlineExceeded, now);
        } catch (RuntimeException e) {
          log.warn("Could not update status of Deployment {}; retrying: {}", key, e.toString());
          later(() -> reconcile(key), RETRY_AFTER_ERROR.toMillis());
        } finally {
          pendingWrites.remove(key, write);
        }
      });
    } catch (RejectedExecutionException closing) {
      pendingWrites.remove(key, write);
      log.debug("FakeKubelet closing; dropped a status write");
    }
  }

  private void putStatus(Deployment cached, int ready, boolean deadlineExceeded, Instant now) {
    StatusWrites.update(client, Deployment.class, cached.getMetadata().getNamespace(),
        cached.getMetadata().getName(), cached.getMetadata().getUid(), latest -> {
          // Pods counted for an older generation must not be reported as the newer generation's: skip, and let
          // the newer generation's own event decide.
          if (!Objects.equals(latest.getMetadata().getGeneration(), cached.getMetadata().getGeneration())) {
            return null;
          }
          DeploymentStatus next = SimulatedDeploymentStatus.next(latest, ready, deadlineExceeded, now);
          if (SimulatedDeploymentStatus.sameIgnoringTimestamps(latest.getStatus(), next)) {
            return null;
          }
          latest.setStatus(next);
          return latest;
        });
  }

  private void report(Deployment d, Pods pods, int desired) {
    if (pods.reportedReady != pods.ready) {
      pods.reportedReady = pods.ready;
      readinessListener.accept(readiness(d, pods.ready, desired));
    }
  }

  private void forget(Deployment d) {
    Pods pods = podsByUid.remove(d.getMetadata().getUid());
    if (pods != null && pods.reportedReady > 0) {
      readinessListener.accept(readiness(d, 0, 0));
    }
  }

  private void wakeUpAt(String key, Pods pods, Instant at, Instant now) {
    if (pods.wakeUps.add(at)) {
      long millis = Math.max(1, Duration.between(now, at).toMillis());
      later(() -> {
        pods.wakeUps.remove(at);
        reconcile(key);
      }, millis);
    }
  }

  private static long progressDeadlineSeconds(Deployment d) {
    Integer seconds = d.getSpec() == null ? null : d.getSpec().getProgressDeadlineSeconds();
    return seconds == null ? DEFAULT_PROGRESS_DEADLINE_SECONDS : seconds;
  }

  private static DeploymentReadiness readiness(Deployment d, int ready, int desired) {
    var template = d.getSpec() == null ? null : d.getSpec().getTemplate();
    Map<String, String> labels = template == null || template.getMetadata() == null
        || template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels();
    return new DeploymentReadiness(d.getMetadata().getNamespace(), d.getMetadata().getName(), labels, ready, desired);
  }

  /** Options of a {@link FakeKubelet}; everything but the client has a default. */
  public static final class Builder {
    private final KubernetesClient client;
    private String namespace;
    private Function<Deployment, Duration> readinessDelay = d -> Duration.ZERO;
    private Predicate<Deployment> neverReady = d -> false;
    private Consumer<DeploymentReadiness> readinessListener = r -> { };
    private Clock clock = Clock.systemUTC();
    private Duration resyncInterval = Duration.ofSeconds(1);
    private int statusWriters = 1;

    private Builder(KubernetesClient client) {
      this.client = Objects.requireNonNull(client, "client");
    }

    /** Watch one namespace only; by default all namespaces are watched. */
    public Builder inNamespace(String namespace) {
      this.namespace = namespace;
      return this;
    }

    /** The same delay for every Deployment between a new generation and its pods being ready. */
    public Builder readinessDelay(Duration delay) {
      return readinessDelay(d -> delay);
    }

    public Builder readinessDelay(Function<Deployment, Duration> delayPerDeployment) {
      this.readinessDelay = Objects.requireNonNull(delayPerDeployment);
      return this;
    }

    /** Deployments for which this is true never get a ready pod (a crash-looping canary). Evaluated on each pass. */
    public Builder neverReady(Predicate<Deployment> rule) {
      this.neverReady = Objects.requireNonNull(rule);
      return this;
    }

    /** Shorthand for {@link #neverReady}: pods whose template carries this label never become ready. */
    public Builder neverReadyWithPodLabel(String key, String value) {
      return neverReady(d -> d.getSpec() != null && d.getSpec().getTemplate() != null
          && d.getSpec().getTemplate().getMetadata() != null
          && d.getSpec().getTemplate().getMetadata().getLabels() != null
          && value.equals(d.getSpec().getTemplate().getMetadata().getLabels().get(key)));
    }

    /** Called on the kubelet's thread whenever a Deployment's ready pod count changes (0 when it is deleted). */
    public Builder onReadinessChange(Consumer<DeploymentReadiness> listener) {
      this.readinessListener = Objects.requireNonNull(listener);
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** How often every Deployment is re-evaluated without an event (default 1 s). */
    public Builder resyncInterval(Duration interval) {
      this.resyncInterval = interval;
      return this;
    }

    /**
     * Threads that write Deployment status (default 1: written on the kubelet's own thread). More keep up with
     * thousands of Deployments on a slow API server; each Deployment's writes still go through one thread, in order.
     */
    public Builder statusWriters(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("statusWriters must be at least 1, got " + threads);
      }
      this.statusWriters = threads;
      return this;
    }

    public FakeKubelet build() {
      return new FakeKubelet(this);
    }
  }
}
