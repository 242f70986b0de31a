package dev.stagegate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagegate.api.common.NotifyTransition;
import dev.stagegate.api.common.NotifyType;
import dev.stagegate.api.common.PendingNotification;
import dev.stagegate.api.common.PendingNotification.NotifiedCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NotifyFormatsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Message message(NotifyTransition transition, String reason, String dashboard) {
    PendingNotification n = new PendingNotification();
    n.setSequence(7L);
    n.setTransition(transition);
    n.setAt("2026-12-06T04:00:00Z");
    n.setRevision("5d9f8c");
    n.setStage("canary-50");
    n.setWeight(50);
    n.setReason(reason);
    n.setMessage("stage canary-50: error-rate 0.002 <= 0.01 <script>");
    n.setChecks(new ArrayList<>(List.of(new NotifiedCheck("error-rate", "0.002", "Pass"))));
    return new Message("Release", "shop", "checkout", "uid-1", n, dashboard);
  }

  private static JsonNode parse(String body) throws Exception {
    return JSON.readTree(body);
  }

  @Test
  @DisplayName("given a stage awaiting approval, then the webhook JSON carries resource, transition, revision, stage, weight, checks, the idempotency key and the approve command")
  void webhookCarriesEverything() throws Exception {
    JsonNode body = parse(new WebhookFormat().body(message(NotifyTransition.Paused, "AwaitingApproval", "https://dash.example/")));

    assertThat(body.get("idempotencyKey").asText()).isEqualTo("uid-1-7");
    assertThat(body.get("kind").asText()).isEqualTo("Release");
    assertThat(body.get("namespace").asText()).isEqualTo("shop");
    assertThat(body.get("name").asText()).isEqualTo("checkout");
    assertThat(body.get("transition").asText()).isEqualTo("Paused");
    assertThat(body.get("revision").asText()).isEqualTo("5d9f8c");
    assertThat(body.get("stage").asText()).isEqualTo("canary-50");
    assertThat(body.get("weight").asInt()).isEqualTo(50);
    assertThat(body.get("reason").asText()).isEqualTo("AwaitingApproval");
    assertThat(body.get("checks").get(0).get("name").asText()).isEqualTo("error-rate");
    assertThat(body.get("checks").get(0).get("value").asText()).isEqualTo("0.002");
    assertThat(body.get("links").get("approve").asText()).isEqualTo("kubectl stagegate approve release/checkout -n shop");
    assertThat(body.get("links").get("dashboard").asText()).isEqualTo("https://dash.example/");
    assertThat(body.get("summary").asText()).isEqualTo("Release shop/checkout: stage canary-50 awaits approval (revision 5d9f8c, 50%)");
  }

  @Test
  @DisplayName("given a rollback, then the webhook has no approve link and no dashboard link when none is configured")
  void webhookLinksOnlyWhenTheyApply() throws Exception {
    JsonNode body = parse(new WebhookFormat().body(message(NotifyTransition.RolledBack, "RolledBack", null)));
    assertThat(body.get("links").has("approve")).isFalse();
    assertThat(body.get("links").has("dashboard")).isFalse();
    assertThat(body.get("links").get("status").asText()).isEqualTo("kubectl stagegate status release/checkout -n shop");
  }

  @Test
  @DisplayName("given a stage awaiting approval, then Slack gets text and blocks with the approve command, and text from status is escaped for mrkdwn")
  void slackIncomingWebhook() throws Exception {
    JsonNode body = parse(new SlackFormat().body(message(NotifyTransition.Paused, "AwaitingApproval", "https://dash.example/")));

    assertThat(body.get("text").asText()).isEqualTo("Release shop/checkout: stage canary-50 awaits approval (revision 5d9f8c, 50%)");
    String blocks = body.get("blocks").toString();
    assertThat(body.get("blocks").get(0).get("type").asText()).isEqualTo("section");
    assertThat(blocks).contains("kubectl stagegate approve release/checkout -n shop", "error-rate", "0.002",
        "&lt;script&gt;", "<https://dash.example/|Dashboard>", "uid-1-7");
    assertThat(blocks).doesNotContain("<script>");
  }

  @Test
  @DisplayName("given a rollback, then Alertmanager gets a v2 alert list with alertname, namespace, release, transition and severity labels, an end time, and it is POSTed to /api/v2/alerts")
  void alertmanagerV2() throws Exception {
    AlertmanagerFormat format = new AlertmanagerFormat();
    JsonNode alerts = parse(format.body(message(NotifyTransition.RolledBack, "RolledBack", null)));

    assertThat(alerts.isArray()).isTrue();
    JsonNode labels = alerts.get(0).get("labels");
    assertThat(labels.get("alertname").asText()).isEqualTo("StagegateTransition");
    assertThat(labels.get("namespace").asText()).isEqualTo("shop");
    assertThat(labels.get("release").asText()).isEqualTo("checkout");
    assertThat(labels.get("transition").asText()).isEqualTo("RolledBack");
    assertThat(labels.get("severity").asText()).isEqualTo("critical");
    assertThat(alerts.get(0).get("annotations").get("idempotency_key").asText()).isEqualTo("uid-1-7");
    assertThat(alerts.get(0).get("startsAt").asText()).isEqualTo("2026-12-06T04:00:00Z");
    assertThat(alerts.get(0).get("endsAt").asText()).isEqualTo("2026-12-06T05:00:00Z");
    assertThat(format.address("http://am:9093").toString()).isEqualTo("http://am:9093/api/v2/alerts");
    assertThat(format.address("http://am:9093/api/v2/alerts").toString()).isEqualTo("http://am:9093/api/v2/alerts");
  }

  @Test
  @DisplayName("given a DataMigration, then Alertmanager labels it `migration` and a pause is a warning")
  void alertmanagerForMigrations() throws Exception {
    Message m = message(NotifyTransition.Paused, "AwaitingApproval", null);
    Message dm = new Message("DataMigration", "shop", "members", "uid-2", m.notification(), null);
    JsonNode labels = parse(new AlertmanagerFormat().body(dm)).get(0).get("labels");
    assertThat(labels.get("migration").asText()).isEqualTo("members");
    assertThat(labels.has("release")).isFalse();
    assertThat(labels.get("severity").asText()).isEqualTo("warning");
    assertThat(dm.approveCommand()).isEqualTo("kubectl stagegate approve dm/members -n shop");
  }

  @Test
  @DisplayName("every type has a format")
  void everyTypeHasAFormat() {
    for (NotifyType type : NotifyType.values()) {
      assertThat(NotifyFormat.of(type).body(message(NotifyTransition.Promoted, "Promoted", null))).isNotBlank();
    }
  }
}
