package dev.stagegate.api.common;

/** The body a notification target receives. Lower case because users write it in YAML. */
public enum NotifyType {
  /** Generic JSON: the transition, revision, stage, weight, check values and links. */
  webhook,
  /** Slack incoming webhook: {@code {"text": ..., "blocks": [...]}}. */
  slack,
  /** Prometheus Alertmanager v2: a list of alerts POSTed to {@code /api/v2/alerts}. */
  alertmanager
}
