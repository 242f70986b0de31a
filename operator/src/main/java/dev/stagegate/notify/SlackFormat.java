package dev.stagegate.notify;

import dev.stagegate.api.common.PendingNotification;
import dev.stagegate.api.common.PendingNotification.NotifiedCheck;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Slack incoming webhook: `text` (the fallback every client shows) and `blocks` with the details and the
 * command to approve a held stage. User-supplied text is escaped as Slack's mrkdwn asks (&, <, >).
 */
public final class SlackFormat implements NotifyFormat {
  @Override
  public String body(Message m) {
    PendingNotification n = m.notification();
    List<Object> blocks = new ArrayList<>();
    blocks.add(section("*" + escape(m.headline()) + "*"));
    StringBuilder details = new StringBuilder();
    if (n.getMessage() != null) {
      details.append(escape(n.getMessage())).append('\n');
    }
    if (n.getChecks() != null) {
      for (NotifiedCheck c : n.getChecks()) {
        details.append("• `").append(escape(c.getName())).append("` = ").append(escape(String.valueOf(c.getValue())));
        if (c.getResult() != null) {
          details.append(" (").append(c.getResult()).append(')');
        }
        details.append('\n');
      }
    }
    if (!details.isEmpty()) {
      blocks.add(section(details.toString().strip()));
    }
    StringBuilder links = new StringBuilder();
    if (m.approveCommand() != null) {
      links.append("Approve: `").append(escape(m.approveCommand())).append("`\n");
    }
    links.append("Status: `").append(escape(m.statusCommand())).append('`');
    if (m.dashboardUrl() != null) {
      links.append("\n<").append(escape(m.dashboardUrl())).append("|Dashboard>");
    }
    blocks.add(section(links.toString()));
    blocks.add(Map.of("type", "context", "elements",
        List.of(Map.of("type", "mrkdwn", "text", "stagegate " + n.getTransition().name() + " · " + m.idempotencyKey()))));
    return Serialization.asJson(Map.of("text", m.headline(), "blocks", blocks));
  }

  private static Map<String, Object> section(String mrkdwn) {
    return Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", mrkdwn));
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
