package dev.stagegate.testing;

import dev.stagegate.api.common.Approval;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.PrometheusQuery;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleaseSpec;
import dev.stagegate.api.release.Stage;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.util.ArrayList;
import java.util.List;

/** Builds Release objects for tests: `Releases.named("checkout").image("v2").stage("canary-10", 10, "2s")...`. */
public final class Releases {
  private final Release release = new Release();
  private final List<Stage> stages = new ArrayList<>();
  private final List<Check> checks = new ArrayList<>();

  private Releases(String name, String namespace) {
    release.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    ReleaseSpec spec = new ReleaseSpec();
    spec.setReplicas(10);
    spec.setSelector(new LabelSelectorBuilder().addToMatchLabels("app", name).build());
    spec.setProgressDeadline("30s");
    release.setSpec(spec);
    image("v1");
  }

  public static Releases named(String name, String namespace) {
    return new Releases(name, namespace);
  }

  public Releases replicas(int replicas) {
    release.getSpec().setReplicas(replicas);
    return this;
  }

  public Releases image(String version) {
    String app = release.getSpec().getSelector().getMatchLabels().get("app");
    release.getSpec().setTemplate(new PodTemplateSpecBuilder()
        .withNewMetadata().addToLabels("app", app).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("example.com/" + app + ":" + version)
        .endContainer().endSpec().build());
    return this;
  }

  public Releases stage(String name, int weight, String duration) {
    stages.add(new Stage(name, weight, duration, Approval.Auto));
    return this;
  }

  public Releases manualStage(String name, int weight, String duration) {
    stages.add(new Stage(name, weight, duration, Approval.Manual));
    return this;
  }

  /** An error-rate check: value of the query for the canary must stay at most {@code max}. */
  public Releases errorRateCheck(String interval, int failureLimit, double max) {
    Check check = new Check();
    check.setName("error-rate");
    check.setInterval(interval);
    check.setFailureLimit(failureLimit);
    // `or vector(0)`: no 5xx series yet means an error rate of 0, not "no data".
    String app = release.getSpec().getSelector().getMatchLabels().get("app");
    check.setPrometheus(new PrometheusQuery(
        "(sum(rate(http_requests_total{app=\"" + app + "\",revision=\"{{revision}}\",code=~\"5..\"}[10s])) or vector(0))"
            + " / sum(rate(http_requests_total{app=\"" + app + "\",revision=\"{{revision}}\"}[10s]))"));
    check.setMax(max);
    checks.add(check);
    return this;
  }

  public Releases check(Check check) {
    checks.add(check);
    return this;
  }

  public Releases progressDeadline(String deadline) {
    release.getSpec().setProgressDeadline(deadline);
    return this;
  }

  public Releases pauseOnFailure() {
    release.getSpec().setOnFailure(dev.stagegate.api.common.FailurePolicy.Pause);
    return this;
  }

  public Release build() {
    release.getSpec().setStages(new ArrayList<>(stages));
    release.getSpec().setChecks(new ArrayList<>(checks));
    return release;
  }
}
