package dev.stagegate.notify;

import dev.stagegate.api.common.PendingNotification;
import dev.stagegate.api.common.PendingNotification.NotifiedCheck;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Generic JSON: everything a receiver needs to route or render the transition itself. */
public final class WebhookFormat implements NotifyFormat {
  @Override
  public String body(Message m) {
    PendingNotification n = m.notification();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("idempotencyKey", m.idempotencyKey());
    body.put("kind", m.kind());
    body.put("namespace", m.namespace());
    body.put("name", m.name());
    body.put("uid", m.uid());
    body.put("sequence", n.getSequence());
    body.put("transition", n.getTransition().name());
    body.put("at", n.getAt());
    body.put("revision", n.getRevision());
    body.put("stage", n.getStage());
    body.put("weight", n.getWeight());
    body.put("reason", n.getReason());
    body.put("message", n.getMessage());
    body.put("summary", m.headline());
    List<Map<String, Object>> checks = new ArrayList<>();
    if (n.getChecks() != null) {
      for (NotifiedCheck c : n.getChecks()) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("name", c.getName());
        check.put("value", c.getValue());
        check.put("result", c.getResult());
        checks.add(check);
      }
    }
    body.put("checks", checks);
    Map<String, Object> links = new LinkedHashMap<>();
    links.put("status", m.statusCommand());
    if (m.approveCommand() != null) {
      links.put("approve", m.approveCommand());
    }
    if (m.dashboardUrl() != null) {
      links.put("dashboard", m.dashboardUrl());
    }
    body.put("links", links);
    return Serialization.asJson(body);
  }
}
