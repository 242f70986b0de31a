package dev.stagegate.api.templates;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** Names the CheckTemplate (same namespace) or ClusterCheckTemplate a check takes its body from. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CheckTemplateRef {
  @Required
  @Size(max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
  @JsonPropertyDescription("Name of the template; it is also the check's name unless the check gives its own.")
  private String name;

  @Default("CheckTemplate")
  @JsonPropertyDescription("CheckTemplate (in the Release's namespace) or ClusterCheckTemplate.")
  private TemplateKind kind;

  public CheckTemplateRef() {}

  public CheckTemplateRef(TemplateKind kind, String name) {
    this.kind = kind;
    this.name = name;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public TemplateKind getKind() { return kind; }
  public void setKind(TemplateKind kind) { this.kind = kind; }

  public TemplateKind kindOrDefault() { return kind == null ? TemplateKind.CheckTemplate : kind; }

  /** "ClusterCheckTemplate/error-rate": how status, messages and metrics name a template. */
  public String describe() { return kindOrDefault() + "/" + name; }
}
