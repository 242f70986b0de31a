package dev.stagegate.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The counters last seen and the test's running statistic, so a restarted operator neither loses nor repeats evidence. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SequentialState {
  private Double canaryErrors;
  private Double canaryRequests;
  private Double stableErrors;
  private Double stableRequests;
  /** Natural log of the e-value against H0 (canary no worse than allowed). */
  private Double logEValue;
  /** Natural log of the e-value for the symmetric test (canary not worse), used to finish a stage early. */
  private Double logEValueNoWorse;
  /** Free-form sufficient statistics of the mixture, owned by the analysis package. */
  private String mixture;

  public Double getCanaryErrors() { return canaryErrors; }
  public void setCanaryErrors(Double canaryErrors) { this.canaryErrors = canaryErrors; }
  public Double getCanaryRequests() { return canaryRequests; }
  public void setCanaryRequests(Double canaryRequests) { this.canaryRequests = canaryRequests; }
  public Double getStableErrors() { return stableErrors; }
  public void setStableErrors(Double stableErrors) { this.stableErrors = stableErrors; }
  public Double getStableRequests() { return stableRequests; }
  public void setStableRequests(Double stableRequests) { this.stableRequests = stableRequests; }
  public Double getLogEValue() { return logEValue; }
  public void setLogEValue(Double logEValue) { this.logEValue = logEValue; }
  public Double getLogEValueNoWorse() { return logEValueNoWorse; }
  public void setLogEValueNoWorse(Double logEValueNoWorse) { this.logEValueNoWorse = logEValueNoWorse; }
  public String getMixture() { return mixture; }
  public void setMixture(String mixture) { this.mixture = mixture; }
}
