package dev.stagegate.notify;

import dev.stagegate.api.common.NotifyTransition;
import dev.stagegate.api.common.NotifyType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Operator-wide notification settings: default targets every Release and DataMigration notifies, and the
 * dashboard address put into messages as a link.
 */
public record NotifySettings(List<DefaultTarget> defaults, String dashboardUrl) {
  public static NotifySettings none() {
    return new NotifySettings(List.of(), null);
  }

  /**
   * Reads the default targets: a YAML or JSON list of {@code {name, type, url, on}}. Read once at start; a
   * changed Secret takes effect when the operator restarts. Errors name the entry and field, never the URL.
   */
  public static NotifySettings load(Path file, String dashboardUrl) {
    String dashboard = dashboardUrl == null || dashboardUrl.isBlank() ? null : dashboardUrl.trim();
    if (file == null) {
      return new NotifySettings(List.of(), dashboard);
    }
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the default notification targets in " + file, e);
    }
    return new NotifySettings(parse(text, file.toString()), dashboard);
  }

  static List<DefaultTarget> parse(String text, String source) {
    Object parsed = text.isBlank() ? List.of() : Serialization.unmarshal(text, Object.class);
    if (!(parsed instanceof List<?> entries)) {
      throw new IllegalArgumentException(source + ": expected a list of {name, type, url, on}");
    }
    List<DefaultTarget> targets = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      String at = source + "[" + i + "]";
      if (!(entries.get(i) instanceof Map<?, ?> entry)) {
        throw new IllegalArgumentException(at + ": expected {name, type, url, on}");
      }
      String name = text(entry, "name", at);
      if (!name.matches("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$") || !names.add(name)) {
        throw new IllegalArgumentException(at + ".name: must be a unique DNS label");
      }
      NotifyType type;
      try {
        type = NotifyType.valueOf(text(entry, "type", at));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(at + ".type: expected webhook, slack or alertmanager");
      }
      String url = text(entry, "url", at);
      if (!url.startsWith("http://") && !url.startsWith("https://")) {
        throw new IllegalArgumentException(at + ".url: expected an http(s) URL");
      }
      List<NotifyTransition> on = new ArrayList<>();
      if (entry.get("on") instanceof List<?> list) {
        for (Object o : list) {
          try {
            on.add(NotifyTransition.valueOf(String.valueOf(o)));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ".on: unknown transition '" + o + "'");
          }
        }
      }
      targets.add(new DefaultTarget(name, type, url, List.copyOf(on)));
    }
    return List.copyOf(targets);
  }

  private static String text(Map<?, ?> entry, String field, String at) {
    Object value = entry.get(field);
    if (value == null || String.valueOf(value).isBlank()) {
      throw new IllegalArgumentException(at + "." + field + ": required");
    }
    return String.valueOf(value).trim();
  }
}
