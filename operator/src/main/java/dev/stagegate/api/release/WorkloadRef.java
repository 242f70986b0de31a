package dev.stagegate.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** An existing Deployment in the Release's namespace whose pod template the Release rolls out (adoption). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadRef {
  public static final String APPS_V1 = "apps/v1";
  public static final String DEPLOYMENT = "Deployment";

  @Required
  @Pattern("^apps/v1$")
  @JsonPropertyDescription("apps/v1")
  private String apiVersion;

  @Required
  @Pattern("^Deployment$")
  @JsonPropertyDescription("Deployment")
  private String kind;

  @Required
  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
  @JsonPropertyDescription("Name of the Deployment in the Release's namespace.")
  private String name;

  public WorkloadRef() {
  }

  public WorkloadRef(String name) {
    this.apiVersion = APPS_V1;
    this.kind = DEPLOYMENT;
    this.name = name;
  }

  public String getApiVersion() { return apiVersion; }
  public void setApiVersion(String apiVersion) { this.apiVersion = apiVersion; }
  public String getKind() { return kind; }
  public void setKind(String kind) { this.kind = kind; }
  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
}
