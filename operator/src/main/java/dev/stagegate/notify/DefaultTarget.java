package dev.stagegate.notify;

import dev.stagegate.api.common.NotifyTransition;
import dev.stagegate.api.common.NotifyType;
import java.util.List;

/**
 * An operator-wide target, from the file named by STAGEGATE_DEFAULT_NOTIFY (a Secret the chart mounts from the
 * operator's own namespace). Unlike spec.notify it holds its URL: the platform team configures it, not tenants.
 */
public record DefaultTarget(String name, NotifyType type, String url, List<NotifyTransition> on) {
  /** The name in status: spec.notify names cannot contain a slash, so the two never clash. */
  public static final String PREFIX = "operator/";

  public String statusName() {
    return PREFIX + name;
  }

  public boolean wants(NotifyTransition transition) {
    return on == null || on.isEmpty() || on.contains(transition);
  }

  @Override
  public String toString() {
    // The record's own toString would print the URL.
    return "DefaultTarget[" + name + ", " + type + ", on=" + on + "]";
  }
}
