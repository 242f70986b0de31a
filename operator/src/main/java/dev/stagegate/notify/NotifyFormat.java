package dev.stagegate.notify;

import dev.stagegate.api.common.NotifyType;
import java.net.URI;

/** How one kind of receiver wants a message: the body, and where on the configured URL it goes. */
public interface NotifyFormat {
  String body(Message message);

  /** The address to POST to, from the URL in the Secret. */
  default URI address(String url) {
    return URI.create(url);
  }

  static NotifyFormat of(NotifyType type) {
    return switch (type) {
      case webhook -> new WebhookFormat();
      case slack -> new SlackFormat();
      case alertmanager -> new AlertmanagerFormat();
    };
  }
}
