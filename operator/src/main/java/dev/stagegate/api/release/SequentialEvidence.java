package dev.stagegate.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;

@JsonInclude(Include.NON_NULL)
/**
 * The sequential check's evidence carried in status, so a restarted operator continues the test
 * where it stopped instead of starting over.
 */
public class SequentialEvidence {
  private String encoded;
  private String decision;
  private Double evidenceWorse;
  private Double rollbackAt;
  private Double evidenceNoWorse;
  private Double noWorseAt;
  private String relativeRisk;

  public String getEncoded() {
    return this.encoded;
  }

  public void setEncoded(String encoded) {
    this.encoded = encoded;
  }

  public String getDecision() {
    return this.decision;
  }

  public void setDecision(String decision) {
    this.decision = decision;
  }

  public Double getEvidenceWorse() {
    return this.evidenceWorse;
  }

  public void setEvidenceWorse(Double evidenceWorse) {
    this.evidenceWorse = evidenceWorse;
  }

  public Double getRollbackAt() {
    return this.rollbackAt;
  }

  public void setRollbackAt(Double rollbackAt) {
    this.rollbackAt = rollbackAt;
  }

  public Double getEvidenceNoWorse() {
    return this.evidenceNoWorse;
  }

  public void setEvidenceNoWorse(Double evidenceNoWorse) {
    this.evidenceNoWorse = evidenceNoWorse;
  }

  public Double getNoWorseAt() {
    return this.noWorseAt;
  }

  public void setNoWorseAt(Double noWorseAt) {
    this.noWorseAt = noWorseAt;
  }

  public String getRelativeRisk() {
    return this.relativeRisk;
  }

  public void setRelativeRisk(String relativeRisk) {
    this.relativeRisk = relativeRisk;
  }
}
