package dev.stagegate.api.templates;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.stagegate.api.migration.VerifyCheck;
import java.util.Map;

/**
 * A DataMigration's verify check as resolved from its template when {@code stage} started. That stage keeps it even
 * if the template changes, so the keys it loaded are never judged against a moved goalpost, also after a restart.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecordedVerifyCheck {
  private String stage;
  private CheckTemplateRef template;
  private Map<String, String> args;
  /** The resolved body with its name; no templateRef or args (those are above). */
  private VerifyCheck check;

  public RecordedVerifyCheck() {}

  public RecordedVerifyCheck(String stage, CheckTemplateRef template, Map<String, String> args, VerifyCheck check) {
    this.stage = stage;
    this.template = template;
    this.args = args;
    this.check = check;
  }

  public String getStage() { return stage; }
  public void setStage(String stage) { this.stage = stage; }
  public CheckTemplateRef getTemplate() { return template; }
  public void setTemplate(CheckTemplateRef template) { this.template = template; }
  public Map<String, String> getArgs() { return args; }
  public void setArgs(Map<String, String> args) { this.args = args; }
  public VerifyCheck getCheck() { return check; }
  public void setCheck(VerifyCheck check) { this.check = check; }
}
