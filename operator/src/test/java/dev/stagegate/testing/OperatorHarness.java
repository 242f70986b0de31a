package dev.stagegate.testing;

import dev.stagegate.OperatorSettings;
import dev.stagegate.StagegateOperator;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.sandbox.FakeKubelet;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The cluster a Release test runs in: an API server (mock or real), the generated CRDs, a fake
 * kubelet that makes Deployments ready, and the real operator. Scenario tests talk only to this.
 */
public final class OperatorHarness implements ResourceSteps<Release>, AutoCloseable {
  /** Pods with this label never become ready: a crash-looping revision. */
  public static final String CRASH_LABEL = "test.stagegate.dev/crashloop";

  private final KubernetesClient client;
  private final String namespace;
  private final OperatorSettings settings;
  private final MetricsSources metrics;
  private java.util.function.Consumer<dev.stagegate.sandbox.DeploymentReadiness> readinessListener = r -> { };
  private FakeKubelet kubelet;
  private StagegateOperator operator;
  private volatile dev.stagegate.kube.CrashPoints crashPoints = dev.stagegate.kube.CrashPoints.NONE;
  private KubernetesClient operatorClient;

  public OperatorHarness(KubernetesClient client, String namespace, OperatorSettings settings, MetricsSources metrics) {
    this.client = client;
    this.namespace = namespace;
    this.settings = settings;
    this.metrics = metrics;
  }

  /** The operator (started from now on) reaches the API server with this client, e.g. through a fault-injecting proxy. */
  public OperatorHarness withOperatorClient(KubernetesClient operatorClient) {
    this.operatorClient = operatorClient;
    return this;
  }

  /** Told whenever the fake kubelet changes a Deployment's ready pods (e.g. to route simulated traffic). */
  public OperatorHarness onReadinessChange(java.util.function.Consumer<dev.stagegate.sandbox.DeploymentReadiness> listener) {
    this.readinessListener = listener;
    return this;
  }

  public OperatorHarness start() {
    startCluster();
    startOperator();
    return this;
  }

  /** The CRDs, the namespace and the fake kubelet, but no operator: a test that runs its own instances. */
  public OperatorHarness startCluster() {
    installCrds(client);
    try {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build())
          .create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    kubelet = FakeKubelet.builder(client).inNamespace(namespace).readinessDelay(Duration.ofMillis(200))
        .neverReady(crashLooping()).onReadinessChange(readinessListener).build().start();
    return this;
  }

  /** Starts an operator instance (again, after {@link #stopOperator()}, to simulate a restart). */
  public StagegateOperator startOperator() {
    operator = new StagegateOperator(operatorClient != null ? operatorClient : client, settings, Clock.systemUTC(), metrics)
        .crashPoints(crashPoints).start();
    return operator;
  }

  /** Where the next instance started may be stopped dead (restart injection). */
  public OperatorHarness crashPoints(dev.stagegate.kube.CrashPoints points) {
    this.crashPoints = points;
    return this;
  }

  public void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  public StagegateOperator operator() {
    return operator;
  }

  @Override
  public KubernetesClient client() {
    return client;
  }

  @Override
  public String namespace() {
    return namespace;
  }

  public static void installCrds(KubernetesClient client) {
    Path dir = Path.of("target/classes/META-INF/fabric8");
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(p -> p.toString().endsWith("-v1.yml")).toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
          client.apiextensions().v1().customResourceDefinitions().resource(crd).createOr(r -> r.update());
          client.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
              .waitUntilCondition(c -> c.getStatus() == null || c.getStatus().getConditions() == null
                  || c.getStatus().getConditions().stream().anyMatch(
                      cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus()))
                  || c.getStatus().getConditions().isEmpty(), 30, java.util.concurrent.TimeUnit.SECONDS);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read generated CRDs in " + dir.toAbsolutePath(), e);
    }
  }

  private static Predicate<Deployment> crashLooping() {
    return d -> {
      var labels = d.getSpec().getTemplate().getMetadata().getLabels();
      return labels != null && labels.containsKey(CRASH_LABEL);
    };
  }

  // ----- steps a scenario takes

  @Override
  public Release apply(Release release) {
    release.getMetadata().setNamespace(namespace);
    return client.resources(Release.class).inNamespace(namespace).resource(release).createOr(r -> r.update());
  }

  @Override
  public Release get(String name) {
    return client.resources(Release.class).inNamespace(namespace).withName(name).get();
  }

  /** Changes the image of the Release's template: a new revision. */
  public Release changeImage(String name, String image) {
    return edit(name, r -> {
      r.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
      return r;
    });
  }

  public Release crashLoopNextRevision(String name, String image) {
    return edit(name, r -> {
      r.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
      r.getSpec().getTemplate().getMetadata().getLabels().put(CRASH_LABEL, "true");
      return r;
    });
  }

  @Override
  public void annotate(String name, String action) {
    edit(name, r -> {
      if (r.getMetadata().getAnnotations() == null) {
        r.getMetadata().setAnnotations(new java.util.HashMap<>());
      }
      r.getMetadata().getAnnotations().put("stagegate.dev/action", action);
      return r;
    });
  }

  /** Edits the Release as a person would, trying again when the operator wrote status in between (409). */
  @Override
  public Release edit(String name, java.util.function.UnaryOperator<Release> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return client.resources(Release.class).inNamespace(namespace).withName(name).edit(change);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 20) {
          throw e;
        }
      }
    }
  }

  public Release awaitPhase(String name, ReleasePhase phase, Duration timeout) {
    return awaitStatus(name, "phase " + phase, r -> r.getStatus().getPhase() == phase, timeout);
  }

  /** Waits until the resource is held for {@code reason} (status.pauseReason). */
  public Release awaitPause(String name, String reason, Duration timeout) {
    return awaitStatus(name, "pause reason " + reason, x -> reason.equals(x.getStatus().getPauseReason()), timeout);
  }

  public List<Deployment> deployments(String name) {
    return client.apps().deployments().inNamespace(namespace).withLabel("stagegate.dev/release", name).list()
        .getItems();
  }

  public Map<String, Integer> replicasByRevision(String name) {
    return deployments(name).stream().collect(java.util.stream.Collectors.toMap(
        d -> d.getMetadata().getLabels().get("stagegate.dev/revision"), d -> d.getSpec().getReplicas()));
  }

  /** Event reasons about the Release, oldest first. */
  @Override
  public List<String> eventReasons(String name) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(Event::getFirstTimestamp).thenComparing(e -> e.getMetadata().getCreationTimestamp() == null ? "" : e.getMetadata().getCreationTimestamp()))
        .map(Event::getReason)
        .toList();
  }

  @Override
  public Object status(Release release) {
    return release.getStatus();
  }

  @Override
  public void close() {
    stopOperator();
    if (kubelet != null) {
      kubelet.close();
    }
  }
}
