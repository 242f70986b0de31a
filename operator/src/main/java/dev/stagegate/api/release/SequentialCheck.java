package dev.stagegate.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** Cumulative error and request counters of a revision, tested sequentially against the stable revision. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SequentialCheck {
  /** Code default of falseRollbackRate: no CRD default, so that a Release-level budget can tell "unset" apart. */
  public static final double DEFAULT_FALSE_ROLLBACK_RATE = 0.01;
  public static final double DEFAULT_FALSE_PROMOTION_RATE = 0.05;
  public static final double DEFAULT_MAX_RELATIVE_INCREASE = 0.2;
  /** Bounds of both error rates: below 1e-4 a check practically never decides, above 0.5 it is a coin toss. */
  public static final double MIN_RATE = 0.0001;
  public static final double MAX_RATE = 0.5;

  @Required
  @Pattern("\\S")
  @JsonPropertyDescription("PromQL for the cumulative error counter of {{revision}}, e.g."
      + " sum(http_requests_total{code=~\"5..\",revision=\"{{revision}}\"}). Only a cumulative counter (or a sum of"
      + " counters) is accepted: the operator reads its raw samples and computes each interval's increments itself,"
      + " detecting counter resets from the samples. rate(), increase(), irate(), range selectors, offset/@ and"
      + " 'or vector(0)' are refused, because overlapping windows, guessed resets or a zero for a missing series void"
      + " the false-rollback bound.")
  private String errors;

  @Required
  @Pattern("\\S")
  @JsonPropertyDescription("PromQL for the cumulative request counter of {{revision}}, e.g."
      + " sum(http_requests_total{revision=\"{{revision}}\"}). Only a cumulative counter is accepted, for the same"
      + " reasons as errors; count every request once (not both the mesh source and destination reporters).")
  private String requests;

  @Default("0.2")
  @Min(0)
  @JsonPropertyDescription("H0: canary error rate <= (1 + maxRelativeIncrease) x stable's.")
  private Double maxRelativeIncrease;

  @Min(MIN_RATE)
  @Max(MAX_RATE)
  @JsonPropertyDescription("alpha: bound on the probability of rolling back a release that satisfies H0, however often"
      + " it is checked. Default 0.01, or this check's share of spec.analysis.falseRollbackRate when that is set.")
  private Double falseRollbackRate;

  @Default("0.05")
  @Min(MIN_RATE)
  @Max(MAX_RATE)
  @JsonPropertyDescription("beta: bound on the probability of ending a stage early (NO_WORSE) for a canary that is in"
      + " fact (1 + maxRelativeIncrease) times worse than stable. Smaller needs more errors to end a stage early.")
  private Double falsePromotionRate;

  public String getErrors() { return errors; }
  public void setErrors(String errors) { this.errors = errors; }
  public String getRequests() { return requests; }
  public void setRequests(String requests) { this.requests = requests; }
  public Double getMaxRelativeIncrease() { return maxRelativeIncrease; }
  public void setMaxRelativeIncrease(Double maxRelativeIncrease) { this.maxRelativeIncrease = maxRelativeIncrease; }
  public Double getFalseRollbackRate() { return falseRollbackRate; }
  public void setFalseRollbackRate(Double falseRollbackRate) { this.falseRollbackRate = falseRollbackRate; }
  public Double getFalsePromotionRate() { return falsePromotionRate; }
  public void setFalsePromotionRate(Double falsePromotionRate) { this.falsePromotionRate = falsePromotionRate; }

  /** A copy judged with another false-rollback rate (a share of the Release's budget); this one is not changed. */
  public SequentialCheck withFalseRollbackRate(double rate) {
    SequentialCheck copy = new SequentialCheck();
    copy.errors = errors;
    copy.requests = requests;
    copy.maxRelativeIncrease = maxRelativeIncrease;
    copy.falseRollbackRate = rate;
    copy.falsePromotionRate = falsePromotionRate;
    return copy;
  }
}
