package dev.stagegate.notify;

import dev.stagegate.api.common.PendingNotification;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus Alertmanager's v2 API: a list with one alert per transition, POSTed to `/api/v2/alerts`.
 * A transition is an event, not a lasting condition, so the alert ends by itself ({@link #LIFETIME} after it
 * began) instead of waiting for a resolve that would never come. Labels carry the revision and sequence so
 * that two rollbacks of one Release are two alerts, not one deduplicated by Alertmanager.
 */
public final class AlertmanagerFormat implements NotifyFormat {
  static final Duration LIFETIME = Duration.ofHours(1);
  private static final String PATH = "/api/v2/alerts";

  @Override
  public String body(Message m) {
    PendingNotification n = m.notification();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", "StagegateTransition");
    labels.put("namespace", m.namespace());
    labels.put("Release".equals(m.kind()) ? "release" : "migration", m.name());
    labels.put("transition", n.getTransition().name());
    labels.put("severity", severity(m));
    if (n.getRevision() != null) {
      labels.put("revision", n.getRevision());
    }
    labels.put("sequence", String.valueOf(n.getSequence()));
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("summary", m.headline());
    if (n.getMessage() != null) {
      annotations.put("description", n.getMessage());
    }
    if (n.getStage() != null) {
      annotations.put("stage", n.getStage());
    }
    annotations.put("reason", n.getReason());
    annotations.put("idempotency_key", m.idempotencyKey());
    if (m.approveCommand() != null) {
      annotations.put("approve", m.approveCommand());
    }
    Map<String, Object> alert = new LinkedHashMap<>();
    alert.put("labels", labels);
    alert.put("annotations", annotations);
    Instant at = Instant.parse(n.getAt());
    alert.put("startsAt", at.toString());
    alert.put("endsAt", at.plus(LIFETIME).toString());
    if (m.dashboardUrl() != null) {
      alert.put("generatorURL", m.dashboardUrl());
    }
    return Serialization.asJson(List.of(alert));
  }

  /** Accepts the Alertmanager's base address (http://alertmanager:9093) or the full API path. */
  @Override
  public URI address(String url) {
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    return URI.create(base.endsWith(PATH) ? base : base + PATH);
  }

  static String severity(Message m) {
    return switch (m.transition()) {
      case RolledBack, Failed -> "critical";
      case Paused -> "warning";
      default -> "info";
    };
  }
}
