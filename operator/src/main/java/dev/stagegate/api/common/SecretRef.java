package dev.stagegate.api.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A Secret in the resource's own namespace. A namespace may be written but must be that one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretRef {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
  private String name;

  @JsonPropertyDescription("Must equal the resource's namespace: cross-namespace Secrets are refused.")
  private String namespace;

  public SecretRef() {}

  public SecretRef(String name) { this.name = name; }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public String getNamespace() { return namespace; }
  public void setNamespace(String namespace) { this.namespace = namespace; }
}
