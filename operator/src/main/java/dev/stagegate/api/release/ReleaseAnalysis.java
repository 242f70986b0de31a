package dev.stagegate.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Error control over all of a Release's sequential checks together. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReleaseAnalysis {
  @Min(SequentialCheck.MIN_RATE)
  @Max(SequentialCheck.MAX_RATE)
  @JsonPropertyDescription("Bound on the probability that any sequential check rolls back a release satisfying every"
      + " check's H0. Checks with their own falseRollbackRate keep it; the rest of this budget is split equally among"
      + " the others (union bound). Refused if the checks' own rates leave nothing for the others or exceed it.")
  private Double falseRollbackRate;

  public Double getFalseRollbackRate() { return falseRollbackRate; }
  public void setFalseRollbackRate(Double falseRollbackRate) { this.falseRollbackRate = falseRollbackRate; }
}
