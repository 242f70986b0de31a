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
  /** alpha this check is judged with: its own, the default, or its share of spec.analysis.falseRollbackRate. */
  private Double falseRollbackRate;
  /** beta this check is judged with. */
  private Double falsePromotionRate;
  /**
   * Smallest canary/stable error-rate ratio the intervals counted so far would have detected on average, e.g. "1.8";
   * "none yet" while too few errors were counted.
   */
  private String detectableRelativeRisk;
  /** How often the evidence was started over in this rollout (resume, retry, changed parameters). */
  private Long restarts;
  /** Why the evidence last started over, e.g. "falseRollbackRate changed from 0.01 to 0.005". */
  private String lastRestart;

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

  public Double getFalseRollbackRate() {
    return this.falseRollbackRate;
  }

  public void setFalseRollbackRate(Double falseRollbackRate) {
    this.falseRollbackRate = falseRollbackRate;
  }

  public Double getFalsePromotionRate() {
    return this.falsePromotionRate;
  }

  public void setFalsePromotionRate(Double falsePromotionRate) {
    this.falsePromotionRate = falsePromotionRate;
  }

  public String getDetectableRelativeRisk() {
    return this.detectableRelativeRisk;
  }

  public void setDetectableRelativeRisk(String detectableRelativeRisk) {
    this.detectableRelativeRisk = detectableRelativeRisk;
  }

  public Long getRestarts() {
    return this.restarts;
  }

  public void setRestarts(Long restarts) {
    this.restarts = restarts;
  }

  public String getLastRestart() {
    return this.lastRestart;
  }

  public void setLastRestart(String lastRestart) {
    this.lastRestart = lastRestart;
  }
}
