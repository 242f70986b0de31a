package dev.stagegate.api.templates;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.stagegate.api.release.Check;
import java.util.Map;

/**
 * A check as resolved from its template when the canary of {@code revision} started. The running canary keeps
 * it even if the template changes, so its evidence is never judged against a moved goalpost, also after a restart.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecordedCheck {
  private String revision;
  private CheckTemplateRef template;
  private Map<String, String> args;
  /** The resolved body with its name; no templateRef or args (those are above). */
  private Check check;

  public RecordedCheck() {}

  public RecordedCheck(String revision, CheckTemplateRef template, Map<String, String> args, Check check) {
    this.revision = revision;
    this.template = template;
    this.args = args;
    this.check = check;
  }

  public String getRevision() { return revision; }
  public void setRevision(String revision) { this.revision = revision; }
  public CheckTemplateRef getTemplate() { return template; }
  public void setTemplate(CheckTemplateRef template) { this.template = template; }
  public Map<String, String> getArgs() { return args; }
  public void setArgs(Map<String, String> args) { this.args = args; }
  public Check getCheck() { return check; }
  public void setCheck(Check check) { this.check = check; }
}
