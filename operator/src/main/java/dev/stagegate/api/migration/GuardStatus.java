package dev.stagegate.api.migration;

import dev.stagegate.api.common.CheckResult;
import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class GuardStatus {
  private String name;
  private CheckResult result;
  /** What the query returned, as text (NULL, or "(no rows)"). */
  private String observed;
  /** What the guard expected, e.g. "= members_prod" or "<= 0". */
  private String expected;
  private String message;
  private String evaluatedAt;

  public GuardStatus() {}

  public GuardStatus(String name) { this.name = name; }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public CheckResult getResult() { return result; }
  public void setResult(CheckResult result) { this.result = result; }
  public String getObserved() { return observed; }
  public void setObserved(String observed) { this.observed = observed; }
  public String getExpected() { return expected; }
  public void setExpected(String expected) { this.expected = expected; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public String getEvaluatedAt() { return evaluatedAt; }
  public void setEvaluatedAt(String evaluatedAt) { this.evaluatedAt = evaluatedAt; }
}
