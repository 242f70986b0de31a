package dev.stagegate.api.templates;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** One parameter of a check template, filled in where the template says {{args.NAME}}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TemplateArg {
  @Required
  @Size(max = 63)
  @Pattern("^[A-Za-z][A-Za-z0-9_]*$")
  @ValidationRule(value = "!(self in ['revision', 'stableRevision', 'canaryRevision', 'name', 'namespace', 'stage'])",
      message = "collides with a built-in placeholder ({{revision}}, {{stableRevision}}, {{canaryRevision}}, {{name}},"
          + " {{namespace}}, {{stage}}); choose another name")
  @JsonPropertyDescription("Argument name, used as {{args.NAME}} in the template's queries.")
  private String name;

  @JsonProperty("default")
  @JsonPropertyDescription("Value when the check gives none; without a default the argument is required.")
  private String defaultValue;

  public TemplateArg() {}

  public TemplateArg(String name, String defaultValue) {
    this.name = name;
    this.defaultValue = defaultValue;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }

  public String getDefaultValue() { return defaultValue; }

  public void setDefaultValue(String defaultValue) { this.defaultValue = defaultValue; }
}
