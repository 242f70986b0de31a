package dev.stagegate.api.templates;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.stagegate.api.release.Check;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** One check body with parameters, shared by the Releases that reference it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.check.templateRef) && !has(self.check.args)",
    message = "a template's check cannot reference another template")
@ValidationRule(value = "!has(self.check.name)",
    message = "a template's check takes the template's name, or the name the Release gives it")
@ValidationRule(value = "has(self.check.prometheus) || has(self.check.sequential) || has(self.check.sequentialLatency)",
    message = "a template's check needs prometheus, sequential or sequentialLatency")
public class CheckTemplateSpec {
  @Size(max = 20)
  @ValidationRule(value = "self.all(a, self.exists_one(b, b.name == a.name))", message = "argument names must be unique")
  @JsonPropertyDescription("Parameters, written {{args.NAME}} in the check's queries; an argument without a default is required.")
  private List<TemplateArg> args = new ArrayList<>();

  @Required
  @JsonPropertyDescription("The check, with the same fields as a Release's check (without name). Queries may use"
      + " {{args.NAME}} besides {{revision}}, {{stableRevision}}, {{canaryRevision}}, {{name}} and {{namespace}}.")
  private Check check;

  public List<TemplateArg> getArgs() { return args; }
  public void setArgs(List<TemplateArg> args) { this.args = args; }
  public Check getCheck() { return check; }
  public void setCheck(Check check) { this.check = check; }
}
