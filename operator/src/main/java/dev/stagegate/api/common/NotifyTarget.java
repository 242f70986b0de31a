package dev.stagegate.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** One receiver of a resource's transitions (`spec.notify[]`), the same on a Release and a DataMigration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NotifyTarget {
  @Required
  @Size(max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
  @JsonPropertyDescription("Names the target in status (delivered, pending); unique within spec.notify.")
  private String name;

  @Required
  @JsonPropertyDescription("webhook (generic JSON), slack (incoming webhook) or alertmanager (v2 alerts API).")
  private NotifyType type;

  @Required
  @JsonPropertyDescription("The URL, read from a Secret in this namespace; never logged or written to status.")
  private UrlSource urlFrom;

  @Size(max = 7)
  @JsonPropertyDescription("The transitions to send; all when empty.")
  private List<NotifyTransition> on = new ArrayList<>();

  public NotifyTarget() {}

  public NotifyTarget(String name, NotifyType type, SecretKeyRef url) {
    this.name = name;
    this.type = type;
    this.urlFrom = new UrlSource(url);
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public NotifyType getType() { return type; }
  public void setType(NotifyType type) { this.type = type; }
  public UrlSource getUrlFrom() { return urlFrom; }
  public void setUrlFrom(UrlSource urlFrom) { this.urlFrom = urlFrom; }
  public List<NotifyTransition> getOn() { return on; }
  public void setOn(List<NotifyTransition> on) { this.on = on; }

  /** Whether this target wants {@code transition}: an empty `on` means every transition. */
  public boolean wants(NotifyTransition transition) {
    return on == null || on.isEmpty() || on.contains(transition);
  }
}
