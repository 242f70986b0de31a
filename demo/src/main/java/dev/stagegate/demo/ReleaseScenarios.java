package dev.stagegate.demo;

import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.release.ReleaseWorkload;
import dev.stagegate.release.RevisionHash;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * Scenarios 1 and 2: the example Release, deployed once, then given a healthy revision and a bad one. The demo
 * only does what a person would (apply, change the image); the demo app's revision with the bad image answers 8%
 * of its requests with 500, which is all the operator gets to see, through Prometheus.
 */
final class ReleaseScenarios {
  static final double BAD_ERROR_RATE = 0.08;
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final Duration SETTLE = Duration.ofSeconds(10);

  private final Sandbox sandbox;
  private final LiveView view;
  private final Timeline timeline;
  private final Release example;
  private final String namespace;
  private final String name;

  ReleaseScenarios(Sandbox sandbox, LiveView view, Timeline timeline, Release example) {
    this.sandbox = sandbox;
    this.view = view;
    this.timeline = timeline;
    this.example = example;
    this.namespace = example.getMetadata().getNamespace();
    this.name = example.getMetadata().getName();
  }

  /** Before the scenarios: the example as it is, whose first revision goes straight to full size. */
  void deployFirstRevision() throws InterruptedException {
    String v1 = RevisionHash.named(name, example.getSpec().getTemplate());
    view.nameRevision(v1, "v1");
    view.note("kubectl apply -f examples/release.yaml   (" + image(example.getSpec().getTemplate()) + " as v1)");
    sandbox.client().resources(Release.class).inNamespace(namespace).resource(example).create();
    Release ready = Waits.until(this::read, r -> phase(r) == ReleasePhase.Promoted
        && v1.equals(r.getStatus().getStableRevision()), TIMEOUT);
    if (phase(ready) != ReleasePhase.Promoted) {
      throw new IllegalStateException("the first revision of the example Release was not deployed within " + TIMEOUT
          + " (phase " + phase(ready) + ")");
    }
  }

  /** Scenario 1: a healthy revision goes 10% → 50% → 100% and is promoted. */
  ScenarioResult healthyCanary(int number, String title, String expected) throws InterruptedException {
    PodTemplateSpec template = withImageTag(read().getSpec().getTemplate(), "1.5.0");
    String v2 = RevisionHash.named(name, template);
    view.nameRevision(v2, "v2");
    view.track(v2);
    view.note("set image " + image(template) + "   (v2: healthy, " + pct(Sandbox.HEALTHY_ERROR_RATE) + " errors like v1)");
    long t0 = System.nanoTime();
    setTemplate(template);
    Release decided = awaitDecision(v2);
    double seconds = (System.nanoTime() - t0) / 1e9;
    view.decision(outcome(decided));
    Set<Integer> weights = stageWeightsSeen(number);
    boolean promoted = phase(decided) == ReleasePhase.Promoted && v2.equals(decided.getStatus().getStableRevision());
    boolean staged = weights.containsAll(stageWeights());
    String detail = "stages at " + weights.stream().map(w -> w + "%").collect(Collectors.joining(" → "))
        + "; stable " + view.revisionName(stableOf(decided)) + "; replicas " + Waits.until(this::replicasByRevision,
            r -> r.size() == 1 && r.containsKey("v2"), SETTLE);
    return new ScenarioResult(number, "release-healthy", title, expected, outcome(decided),
        promoted && staged, seconds, null, null, detail);
  }

  /** Scenario 2: a revision with 8% errors is rolled back in its first stage; the previous one keeps serving. */
  ScenarioResult badCanary(int number, String title, String expected) throws InterruptedException {
    Release current = read();
    String previous = current.getStatus().getStableRevision();
    String previousName = view.revisionName(previous);
    PodTemplateSpec template = withImageTag(current.getSpec().getTemplate(), "1.6.0");
    String v3 = RevisionHash.named(name, template);
    view.nameRevision(v3, "v3");
    view.track(v3);
    // What the image would do in a cluster: this revision of the demo app fails 8% of its requests.
    sandbox.app().setErrorRate(v3, BAD_ERROR_RATE);
    view.note("set image " + image(template) + "   (v3: answers " + pct(BAD_ERROR_RATE) + " of requests with 500)");
    long t0 = System.nanoTime();
    setTemplate(template);
    Release decided = awaitDecision(v3);
    double seconds = (System.nanoTime() - t0) / 1e9;
    view.decision(outcome(decided));
    int firstStageWeight = example.getSpec().getStages().get(0).getWeight();
    int maxWeight = timeline.points(number).stream().mapToInt(Timeline.ReleasePoint::weight).max().orElse(0);
    int maxStage = timeline.points(number).stream().mapToInt(Timeline.ReleasePoint::requestedWeight).max().orElse(0);
    // The status is the operator's commit point; the Deployments follow it a moment later.
    Map<String, Integer> replicas = Waits.until(this::replicasByRevision,
        r -> r.getOrDefault("v3", 0) == 0 && example.getSpec().getReplicas().equals(r.get(previousName)), SETTLE);
    boolean rolledBack = phase(decided) == ReleasePhase.RolledBack
        && v3.equals(decided.getStatus().getFailedRevision());
    boolean previousServes = previous != null && previous.equals(decided.getStatus().getStableRevision())
        && example.getSpec().getReplicas().equals(replicas.get(previousName)) && replicas.getOrDefault("v3", 0) == 0;
    String detail = "never past the first stage (" + firstStageWeight + "%, canary at most " + maxWeight
        + "% of ready pods); stable "
        + view.revisionName(stableOf(decided)) + "; replicas " + replicas + "; " + message(decided);
    return new ScenarioResult(number, "release-bad-canary", title, expected, outcome(decided),
        rolledBack && previousServes && maxStage <= firstStageWeight, seconds, null, null, detail);
  }

  /** Done with this revision: promoted, rolled back, or held for a person. */
  private Release awaitDecision(String revision) throws InterruptedException {
    long generation = read().getMetadata().getGeneration();
    return Waits.until(this::read, r -> {
      ReleaseStatus s = r.getStatus();
      if (s == null || s.getObservedGeneration() == null || s.getObservedGeneration() < generation) {
        return false;
      }
      return switch (s.getPhase()) {
        case Promoted -> revision.equals(s.getStableRevision());
        case RolledBack -> revision.equals(s.getFailedRevision());
        case Paused, Failed -> true;
        case Progressing -> false;
      };
    }, TIMEOUT);
  }

  /** The stage weights the operator asked for, in order: 10, 50, 100 for the example. */
  private Set<Integer> stageWeightsSeen(int scenario) {
    Set<Integer> seen = new LinkedHashSet<>();
    timeline.points(scenario).stream().map(Timeline.ReleasePoint::requestedWeight).filter(w -> w > 0)
        .forEach(seen::add);
    return seen;
  }

  private Set<Integer> stageWeights() {
    Set<Integer> weights = new LinkedHashSet<>();
    example.getSpec().getStages().forEach(s -> weights.add(s.getWeight()));
    return weights;
  }

  private Map<String, Integer> replicasByRevision() {
    Map<String, Integer> replicas = new TreeMap<>();
    for (Deployment d : sandbox.client().apps().deployments().inNamespace(namespace)
        .withLabel(ReleaseWorkload.RELEASE_LABEL, name).list().getItems()) {
      ReleaseWorkload.revisionOf(d).ifPresent(rev -> replicas.put(view.revisionName(rev), d.getSpec().getReplicas()));
    }
    return replicas;
  }

  /** Changes spec.template as `kubectl set image` would, again when the operator wrote status in between. */
  private void setTemplate(PodTemplateSpec template) {
    edit(r -> {
      r.getSpec().setTemplate(template);
      return r;
    });
  }

  private void edit(UnaryOperator<Release> change) {
    Resource<Release> resource = sandbox.client().resources(Release.class).inNamespace(namespace).withName(name);
    for (int attempt = 1; ; attempt++) {
      try {
        resource.edit(change);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 20) {
          throw e;
        }
      }
    }
  }

  private Release read() {
    return sandbox.client().resources(Release.class).inNamespace(namespace).withName(name).get();
  }

  private static PodTemplateSpec withImageTag(PodTemplateSpec template, String tag) {
    PodTemplateSpec copy = new PodTemplateSpecBuilder(template).build();
    var container = copy.getSpec().getContainers().get(0);
    String image = container.getImage();
    int colon = image.lastIndexOf(':');
    container.setImage((colon > image.lastIndexOf('/') ? image.substring(0, colon) : image) + ":" + tag);
    return copy;
  }

  private static String image(PodTemplateSpec template) {
    return template.getSpec().getContainers().get(0).getImage();
  }

  private static ReleasePhase phase(Release r) {
    return r == null || r.getStatus() == null ? null : r.getStatus().getPhase();
  }

  private static String outcome(Release r) {
    ReleasePhase phase = phase(r);
    return phase == null || phase == ReleasePhase.Progressing ? "NoDecision(" + TIMEOUT.toSeconds() + "s)" : phase.name();
  }

  private static String stableOf(Release r) {
    return r == null || r.getStatus() == null || r.getStatus().getStableRevision() == null ? "-"
        : r.getStatus().getStableRevision();
  }

  private static String message(Release r) {
    return r == null || r.getStatus() == null || r.getStatus().getMessage() == null ? "" : r.getStatus().getMessage();
  }

  private static String pct(double rate) {
    return String.format(java.util.Locale.ROOT, "%.2g%%", rate * 100);
  }
}
