package dev.stagegate.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/**
 * The share of requests slower than chosen histogram buckets, tested sequentially against the stable revision with the
 * same construction as {@link SequentialCheck} (one e-value per bucket, averaged).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SequentialLatencyCheck {
  /** More buckets cost queries and dilute the average e-value; a handful covers "fast", "slow" and "too slow". */
  public static final int MAX_BUCKETS = 5;

  @Required
  @Pattern("\\{\\{le\\}\\}")
  @JsonPropertyDescription("PromQL for the cumulative histogram bucket counter of {{revision}} with le=\"{{le}}\", e.g."
      + " sum(http_request_duration_seconds_bucket{revision=\"{{revision}}\",le=\"{{le}}\"}). Only a cumulative counter"
      + " is accepted (no rate(), increase(), irate(), range selectors, offset/@ or 'or vector(0)'): the operator reads"
      + " raw samples and computes each interval's increments itself, so the false-rollback bound holds.")
  private String bucket;

  @Required
  @Pattern("\\S")
  @JsonPropertyDescription("PromQL for the histogram's cumulative request count of {{revision}}, e.g."
      + " sum(http_request_duration_seconds_count{revision=\"{{revision}}\"}). Only a cumulative counter is accepted.")
  private String count;

  @Required
  @Size(min = 1, max = MAX_BUCKETS)
  @JsonPropertyDescription("The le values (seconds, as the histogram writes them, e.g. \"0.5\") whose slower requests"
      + " are compared: bad = count - bucket. Each must be an existing bucket boundary of the histogram.")
  private List<String> slowerThan = new ArrayList<>();

  @Default("0.2")
  @Min(0)
  @JsonPropertyDescription("H0: the canary's share of requests slower than each le <= (1 + maxRelativeIncrease) x stable's.")
  private Double maxRelativeIncrease;

  @Min(SequentialCheck.MIN_RATE)
  @Max(SequentialCheck.MAX_RATE)
  @JsonPropertyDescription("alpha over all chosen buckets together. Default 0.01, or this check's share of"
      + " spec.analysis.falseRollbackRate when that is set.")
  private Double falseRollbackRate;

  @Default("0.05")
  @Min(SequentialCheck.MIN_RATE)
  @Max(SequentialCheck.MAX_RATE)
  @JsonPropertyDescription("beta: bound on ending a stage early (NO_WORSE, needed in every bucket) for a canary that is"
      + " in fact (1 + maxRelativeIncrease) times slower in some bucket.")
  private Double falsePromotionRate;

  public String getBucket() { return bucket; }
  public void setBucket(String bucket) { this.bucket = bucket; }
  public String getCount() { return count; }
  public void setCount(String count) { this.count = count; }
  public List<String> getSlowerThan() { return slowerThan; }
  public void setSlowerThan(List<String> slowerThan) { this.slowerThan = slowerThan; }
  public Double getMaxRelativeIncrease() { return maxRelativeIncrease; }
  public void setMaxRelativeIncrease(Double maxRelativeIncrease) { this.maxRelativeIncrease = maxRelativeIncrease; }
  public Double getFalseRollbackRate() { return falseRollbackRate; }
  public void setFalseRollbackRate(Double falseRollbackRate) { this.falseRollbackRate = falseRollbackRate; }
  public Double getFalsePromotionRate() { return falsePromotionRate; }
  public void setFalsePromotionRate(Double falsePromotionRate) { this.falsePromotionRate = falsePromotionRate; }

  /** A copy judged with another false-rollback rate (a share of the Release's budget); this one is not changed. */
  public SequentialLatencyCheck withFalseRollbackRate(double rate) {
    SequentialLatencyCheck copy = new SequentialLatencyCheck();
    copy.bucket = bucket;
    copy.count = count;
    copy.slowerThan = slowerThan == null ? null : new ArrayList<>(slowerThan);
    copy.maxRelativeIncrease = maxRelativeIncrease;
    copy.falseRollbackRate = rate;
    copy.falsePromotionRate = falsePromotionRate;
    return copy;
  }
}
