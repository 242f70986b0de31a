package dev.stagegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A sequential check's evidence, carried between evaluations in status so that a restarted
 * operator neither loses nor repeats evidence. The numbers are for people; `encoded` is what the
 * test continues from (owned by dev.stagegate.analysis.stats).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SequentialState {
  private String encoded;
  private String decision;
  /** log10 of the e-value that the canary is worse than allowed; rollback at {@link #rollbackAt}. */
  private Double evidenceWorse;
  private Double rollbackAt;
  /** log10 of the e-value that the canary is no worse; the stage may end early at {@link #noWorseAt}. */
  private Double evidenceNoWorse;
  private Double noWorseAt;
  /** Canary error rate over stable's, as text ("n/a" or "inf" when undefined). */
  private String relativeRisk;

  public String getEncoded() { return encoded; }
  public void setEncoded(String encoded) { this.encoded = encoded; }
  public String getDecision() { return decision; }
  public void setDecision(String decision) { this.decision = decision; }
  public Double getEvidenceWorse() { return evidenceWorse; }
  public void setEvidenceWorse(Double evidenceWorse) { this.evidenceWorse = evidenceWorse; }
  public Double getRollbackAt() { return rollbackAt; }
  public void setRollbackAt(Double rollbackAt) { this.rollbackAt = rollbackAt; }
  public Double getEvidenceNoWorse() { return evidenceNoWorse; }
  public void setEvidenceNoWorse(Double evidenceNoWorse) { this.evidenceNoWorse = evidenceNoWorse; }
  public Double getNoWorseAt() { return noWorseAt; }
  public void setNoWorseAt(Double noWorseAt) { this.noWorseAt = noWorseAt; }
  public String getRelativeRisk() { return relativeRisk; }
  public void setRelativeRisk(String relativeRisk) { this.relativeRisk = relativeRisk; }
}
