package dev.stagegate.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.testing.ApiServerTier;
import dev.stagegate.testing.GatedMetrics;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.Releases;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hot-loop protection on the real API server: a pod template only the API server can refuse (a container
 * name that is not a DNS label) once sent the Release round a loop, Failed written, cleared by the next
 * turn, the status write waking another reconcile, one more Event each time. Here the Release must settle:
 * Failed/InvalidSpec once, then (watched over a fixed window) no more status writes and no new Events.
 */
@Tag("apiserver")
class RefusedTemplateApiServerTest {
  /** How long the Release is watched once Failed; a loop wrote several times per second. */
  private static final Duration WINDOW = Duration.ofSeconds(10);
  @RegisterExtension
  static final ApiServerTier apiServer = ApiServerTier.connect();
  private static int run;
  private final GatedMetrics metrics = new GatedMetrics().value(0);
  private OperatorHarness harness;

  @BeforeEach
  void startOperator() {
    harness = new OperatorHarness(apiServer.client(), "refused-" + (++run), ApiServerTier.settings(), metrics).start();
  }

  @AfterEach
  void stopOperator() {
    harness.close();
  }

  @Test
  @DisplayName("given a pod template the API server refuses, then the Release is Failed/InvalidSpec naming spec.template and stays so: no status write, no Event after it settles; fixing the template lets it go on")
  void refusedTemplateDoesNotLoop() throws Exception {
    Release release = Releases.named("web", "shop").stage("canary", 50, "1s").stage("full", 100, "1s").build();
    release.getSpec().getTemplate().getSpec().getContainers().get(0).setName("Web_1");
    harness.apply(release);

    Release failed = harness.awaitPhase("web", ReleasePhase.Failed, Duration.ofMinutes(2));
    assertThat(failed.getStatus().getMessage()).contains("spec.template");
    assertThat(harness.deployments("web")).isEmpty();
    // let the turn that wrote Failed finish recording its Event
    harness.awaitEvents("web", Duration.ofMinutes(1), "InvalidSpec");

    AtomicInteger writes = new AtomicInteger();
    int eventsBefore = eventCount();
    try (Watch ignored = apiServer.client().resources(Release.class).inNamespace(harness.namespace()).withName("web")
        .watch(new Watcher<>() {
          @Override
          public void eventReceived(Action action, Release resource) {
            if (action == Action.MODIFIED) {
              writes.incrementAndGet();
            }
          }

          @Override
          public void onClose(WatcherException cause) {
            // the test ends the watch
          }
        })) {
      Thread.sleep(WINDOW.toMillis());
    }
    Release after = harness.get("web");
    System.out.printf("refused template: %d writes to the Release and %d new Events in %ds after it settled%n",
        writes.get(), eventCount() - eventsBefore, WINDOW.toSeconds());
    assertThat(after.getStatus().getPhase()).isEqualTo(ReleasePhase.Failed);
    assertThat(writes.get()).as("writes to the Release after it settled").isZero();
    assertThat(eventCount()).as("Events (counting repeats) after it settled").isEqualTo(eventsBefore);
    assertThat(reasons()).as("no Event may say the refused revision was deployed").doesNotContain("StableDeployed")
        .contains("InvalidSpec");

    // the fix is a new generation: the Release goes on by itself
    harness.edit("web", r -> {
      r.getSpec().getTemplate().getSpec().getContainers().get(0).setName("web");
      return r;
    });
    harness.awaitStatus("web", r -> r.getStatus().getPhase() != ReleasePhase.Failed && !harness.deployments("web").isEmpty(),
        Duration.ofMinutes(2));
  }

  private java.util.List<String> reasons() {
    return apiServer.client().v1().events().inNamespace(harness.namespace()).list().getItems().stream()
        .filter(e -> "web".equals(e.getInvolvedObject().getName())).map(e -> e.getReason()).toList();
  }

  /** Events about the Release, repeats included (the recorder may count a repeat on one Event). */
  private int eventCount() {
    return apiServer.client().v1().events().inNamespace(harness.namespace()).list().getItems().stream()
        .filter(e -> "web".equals(e.getInvolvedObject().getName()))
        .mapToInt(e -> e.getCount() == null ? 1 : e.getCount()).sum();
  }
}
