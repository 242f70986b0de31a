package dev.stagegate.apiserver;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagegate.OperatorSettings;
import dev.stagegate.api.common.NotificationStatus;
import dev.stagegate.api.common.NotifyTarget;
import dev.stagegate.api.common.NotifyTransition;
import dev.stagegate.api.common.NotifyType;
import dev.stagegate.api.common.SecretKeyRef;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.release.RevisionHash;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.RealApiServer;
import dev.stagegate.testing.Releases;
import dev.stagegate.testing.ScriptedMetrics;
import dev.stagegate.testing.WebhookSink;
import dev.stagegate.testing.WebhookSink.Received;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Notifications end to end on a real kube-apiserver: a webhook and a Slack target on a loopback sink, the
 * sink failing at first, and the operator stopped and started again twice during the rollout.
 */
@Tag("apiserver")
class NotificationsApiServerTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Part of the webhook paths, as a token in a real webhook URL is: it must appear nowhere but in the Secret. */
  private static final String TOKEN = "T0KEN-s3cr3t-9f2c";

  private final ScriptedMetrics metrics = new ScriptedMetrics().otherwise(0.001);
  private KubernetesClient client;
  private OperatorHarness harness;
  private WebhookSink sink;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeEach
  void start() {
    logs.start();
    root().addAppender(logs);
    client = RealApiServer.client();
    sink = new WebhookSink();
    harness = new OperatorHarness(client, "notify-1", OperatorSettings.forTests("http://unused")
        .withServerSideApply(true), metrics).start();
  }

  @AfterEach
  void stop() {
    root().detachAppender(logs);
    harness.close();
    sink.close();
    client.close();
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Test
  @DisplayName("given a Release notifying a webhook (all transitions) and Slack (rollbacks), and a sink that fails twice first, when the operator is restarted while a retry waits and again mid-canary, and the canary fails at 50%, then every transition arrives exactly once, retried with the same idempotency key, and the URL is nowhere but the Secret")
  void everyTransitionExactlyOnceAcrossRestarts() throws Exception {
    client.secrets().inNamespace(harness.namespace()).resource(new SecretBuilder().withNewMetadata()
        .withName("hooks").endMetadata()
        .addToStringData("webhook", sink.url("/hook/" + TOKEN))
        .addToStringData("slack", sink.url("/slack/" + TOKEN)).build()).create();
    sink.failNext(2);
    Release release = Releases.named("notified", "shop")
        // canary-10 lasts long enough that the second restart happens between two transitions, not across one
        // (a stop right after a send and before its result is written would resend it: the documented window)
        .stage("canary-10", 10, "5s").stage("canary-50", 50, "3s").stage("full", 100, "1s")
        .errorRateCheck("500ms", 1, 0.01).build();
    NotifyTarget chat = new NotifyTarget("chat", NotifyType.slack, new SecretKeyRef("hooks", "slack"));
    chat.setOn(new ArrayList<>(List.of(NotifyTransition.RolledBack)));
    release.getSpec().setNotify(new ArrayList<>(List.of(
        new NotifyTarget("hook", NotifyType.webhook, new SecretKeyRef("hooks", "webhook")), chat)));

    // given: the first promotion's notification failed once and waits for its retry
    String uid = harness.apply(release).getMetadata().getUid();
    harness.awaitStatus("notified", "a failed attempt recorded", r -> hookAttempts(r) >= 1, WAIT);
    String failedCounter = harness.operator().registry().scrape();

    // when: the operator is replaced while the retry waits
    harness.stopOperator();
    harness.startOperator();
    harness.awaitStatus("notified", "Promoted delivered", delivered(NotifyTransition.Promoted, "hook"), WAIT);

    // and: a canary starts, and the operator is replaced again once its first stage was notified
    String bad = RevisionHash.of(harness.changeImage("notified", "example.com/notified:v2"));
    harness.awaitStatus("notified", "StageStarted delivered", delivered(NotifyTransition.StageStarted, "hook"), WAIT);
    harness.stopOperator();
    harness.startOperator();
    harness.awaitStatus("notified", "stage canary-50", r -> r.getStatus().getCurrentStage() != null
        && r.getStatus().getCurrentStage().getIndex() == 1, WAIT);
    metrics.revision(bad, 0.05);
    Release done = harness.awaitStatus("notified", "rolled back and every notification delivered",
        r -> r.getStatus().getPhase() == ReleasePhase.RolledBack && r.getStatus().getNotifications() != null
            && r.getStatus().getNotifications().getPending().isEmpty()
            && delivered(NotifyTransition.RolledBack, "chat").test(r), WAIT);

    // then: each transition reached the webhook once, in order
    List<Received> accepted = sink.received("/hook/" + TOKEN).stream().filter(Received::accepted).toList();
    List<String> transitions = new ArrayList<>();
    for (Received r : accepted) {
      JsonNode body = JSON.readTree(r.body());
      transitions.add(body.get("transition").asText() + (body.get("stage").isNull() ? "" : " " + body.get("stage").asText()));
      assertThat(body.get("idempotencyKey").asText()).isEqualTo(r.idempotencyKey()).startsWith(uid + "-");
    }
    assertThat(transitions).containsExactly("Promoted", "StageStarted canary-10", "StagePassed canary-10",
        "StageStarted canary-50", "RolledBack canary-50");
    assertThat(accepted).extracting(Received::idempotencyKey).doesNotHaveDuplicates();
    // the two failures were the first promotion's, sent again with its key
    List<Received> refused = sink.received("/hook/" + TOKEN).stream().filter(r -> !r.accepted()).toList();
    assertThat(refused).hasSize(2).extracting(Received::idempotencyKey).containsOnly(accepted.get(0).idempotencyKey());
    JsonNode rollback = JSON.readTree(accepted.get(4).body());
    assertThat(rollback.get("revision").asText()).isEqualTo(bad);
    assertThat(rollback.get("checks").get(0).get("name").asText()).isEqualTo("error-rate");
    assertThat(rollback.get("checks").get(0).get("value").asText()).isEqualTo("0.05");

    // and: Slack got the rollback only, in its own format
    List<Received> slack = sink.received("/slack/" + TOKEN);
    assertThat(slack).singleElement().satisfies(r -> {
      assertThat(r.accepted()).isTrue();
      assertThat(JSON.readTree(r.body()).get("text").asText()).isEqualTo(
          "Release notify-1/notified: rolled back (revision " + bad + ")");
    });

    // and: status records the deliveries; the URL is in no status, Event, metric or log line
    NotificationStatus box = done.getStatus().getNotifications();
    assertThat(box.getDelivered()).extracting(d -> d.getTarget() + " " + d.getTransition() + " " + d.getOutcome())
        .containsExactly("hook Promoted Delivered", "hook StageStarted Delivered", "hook StagePassed Delivered",
            "hook StageStarted Delivered", "hook RolledBack Delivered", "chat RolledBack Delivered");
    assertThat(box.getDelivered().get(0).getAttempts()).as("the promotion was retried").isGreaterThanOrEqualTo(2);
    assertThat(failedCounter).contains("stagegate_notifications_total{outcome=\"failed\",type=\"webhook\"}");
    String scrape = harness.operator().registry().scrape();
    assertThat(scrape).contains("stagegate_notifications_total{outcome=\"delivered\",type=\"slack\"} 1.0");
    assertThat(Serialization.asJson(done)).doesNotContain(TOKEN).doesNotContain(String.valueOf(sinkPort()));
    assertThat(client.v1().events().inNamespace(harness.namespace()).list().getItems())
        .allSatisfy(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    assertThat(failedCounter + scrape).doesNotContain(TOKEN);
    assertThat(logs.list).isNotEmpty().allSatisfy(e -> assertThat(e.getFormattedMessage()).doesNotContain(TOKEN));
    assertThat(logs.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("notified RolledBack"));
  }

  private int sinkPort() {
    return Integer.parseInt(sink.url("").replaceAll(".*:", ""));
  }

  private static int hookAttempts(Release r) {
    NotificationStatus box = r.getStatus().getNotifications();
    if (box == null || box.getPending().isEmpty() || box.getPending().get(0).target("hook") == null) {
      return 0;
    }
    return box.getPending().get(0).target("hook").attemptCount();
  }

  private static Predicate<Release> delivered(NotifyTransition transition, String target) {
    return r -> r.getStatus().getNotifications() != null && r.getStatus().getNotifications().getDelivered().stream()
        .anyMatch(d -> d.getTransition() == transition && target.equals(d.getTarget()) && "Delivered".equals(d.getOutcome()));
  }
}
