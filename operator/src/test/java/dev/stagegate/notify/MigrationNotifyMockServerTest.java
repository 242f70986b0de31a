package dev.stagegate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagegate.OperatorSettings;
import dev.stagegate.api.common.NotifyTarget;
import dev.stagegate.api.common.NotifyType;
import dev.stagegate.api.common.SecretKeyRef;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.testing.DataMigrations;
import dev.stagegate.testing.MigrationHarness;
import dev.stagegate.testing.ScriptedMetrics;
import dev.stagegate.testing.WebhookSink;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The DataMigration side of notifications through the real operator (mock API server, no database needed). */
@EnableKubernetesMockClient(crud = true)
class MigrationNotifyMockServerTest {
  static KubernetesClient client;
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  @DisplayName("given a DataMigration with an invalid spec notifying a webhook and Alertmanager, then each gets one Failed message in its format, with reason InvalidSpec and the migration label")
  void failedMigrationIsNotifiedOnce() throws Exception {
    String namespace = "notify-dm";
    try (WebhookSink sink = new WebhookSink();
        MigrationHarness harness = new MigrationHarness(client, namespace, OperatorSettings.forTests("http://unused"),
            new ScriptedMetrics(), (job, env) -> {
              throw new AssertionError("no Job may run for an invalid spec");
            }).start()) {
      client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName("hooks")
          .endMetadata().addToStringData("webhook", sink.url("/hook"))
          .addToStringData("alertmanager", sink.url("/am")).build()).create();
      // the last stage is not 100%: only the operator's validator refuses it on the mock server
      DataMigration migration = DataMigrations.named("members", namespace).stage("pilot", 10).build();
      migration.getSpec().setNotify(new ArrayList<>(List.of(
          new NotifyTarget("hook", NotifyType.webhook, new SecretKeyRef("hooks", "webhook")),
          new NotifyTarget("oncall", NotifyType.alertmanager, new SecretKeyRef("hooks", "alertmanager")))));
      harness.apply(migration);

      DataMigration done = harness.awaitStatus("members", "Failed delivered to both targets",
          m -> m.getStatus().getNotifications() != null && m.getStatus().getNotifications().getDelivered().size() == 2,
          Duration.ofSeconds(30));

      assertThat(done.getStatus().getNotifications().getPending()).isEmpty();
      assertThat(sink.received("/hook")).singleElement().satisfies(r -> {
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("kind").asText()).isEqualTo("DataMigration");
        assertThat(body.get("transition").asText()).isEqualTo("Failed");
        assertThat(body.get("reason").asText()).isEqualTo("InvalidSpec");
        assertThat(body.get("message").asText()).contains("spec.stages");
        assertThat(r.idempotencyKey()).isEqualTo(done.getMetadata().getUid() + "-1");
      });
      assertThat(sink.received("/am/api/v2/alerts")).singleElement().satisfies(r -> {
        JsonNode labels = JSON.readTree(r.body()).get(0).get("labels");
        assertThat(labels.get("migration").asText()).isEqualTo("members");
        assertThat(labels.get("transition").asText()).isEqualTo("Failed");
        assertThat(labels.get("severity").asText()).isEqualTo("critical");
      });
    }
  }
}
