package dev.stagegate.api.migration;

import dev.stagegate.api.common.Approval;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class MigrationStage {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$")
  @Size(max = 32)
  @JsonPropertyDescription("Stage name, a short DNS label (part of the Job names).")
  private String name;

  @Required
  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Share of the source rows, in percent, migrated once this stage is done (cumulative).")
  private Integer percent;

  @Default("Auto")
  @JsonPropertyDescription("Manual: once verified, the stage waits for the `stagegate.dev/action: approve` annotation.")
  private Approval approval;

  @Min(1)
  @Max(MAX_PARALLELISM)
  @JsonPropertyDescription("Pods loading this stage at once: its key range is cut at row quantiles into this many sub-ranges, "
      + "loaded by an Indexed Job (one sub-range per completion index, STAGEGATE_PART_BOUNDS). Default 1: one pod.")
  private Integer parallelism;

  public static final int MAX_PARALLELISM = 100;

  public MigrationStage() {}

  public MigrationStage(String name, int percent, Approval approval) {
    this.name = name;
    this.percent = percent;
    this.approval = approval;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Integer getPercent() { return percent; }
  public void setPercent(Integer percent) { this.percent = percent; }
  public Approval getApproval() { return approval; }
  public void setApproval(Approval approval) { this.approval = approval; }

  public Integer getParallelism() { return parallelism; }
  public void setParallelism(Integer parallelism) { this.parallelism = parallelism; }

  public int parallelismOrOne() { return parallelism == null ? 1 : parallelism; }

  public boolean needsApproval() { return approval == Approval.Manual; }
}
