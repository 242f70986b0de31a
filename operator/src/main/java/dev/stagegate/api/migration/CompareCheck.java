package dev.stagegate.api.migration;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.stagegate.api.common.DurationLimits;
import dev.stagegate.api.common.Durations;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Source and target rows over the keys migrated so far, compared by checksum bisection. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CompareCheck {
  @Required
  private TableRef source;

  @Required
  private TableRef target;

  @Required
  @Pattern(Partition.COLUMN_PATTERN)
  @JsonPropertyDescription("Key column on both sides (its first column for a composite key), in the same key space as spec.partition.key.")
  private String key;

  @Size(max = 3)
  @JsonPropertyDescription("Further key columns on both sides, matching spec.partition.thenBy by position.")
  private List<String> thenBy;

  @Required
  @Size(min = 1, max = 200)
  @JsonPropertyDescription("Columns compared, paired by position, the same names on both sides (plain SQL identifiers).")
  private List<String> columns = new ArrayList<>();

  @Default("0")
  @Min(0)
  @JsonPropertyDescription("Missing + extra + changed rows tolerated.")
  private Long maxMismatches;

  @Default("10m")
  @Pattern(Durations.PATTERN)
  @Size(max = DurationLimits.MAX_LENGTH)
  @ValidationRule(value = DurationLimits.COMPARE_TIMEOUT_RULE, message = DurationLimits.COMPARE_TIMEOUT_MESSAGE)
  @JsonPropertyDescription("Statement timeout of each comparison query.")
  private String timeout;

  @Min(1)
  @Max(16)
  @JsonPropertyDescription("Connections a side at most when a range with parallel stages is compared part by part (default 2).")
  private Integer maxConnections;

  public Integer getMaxConnections() { return maxConnections; }
  public void setMaxConnections(Integer maxConnections) { this.maxConnections = maxConnections; }
  public int maxConnectionsOrDefault() { return maxConnections == null ? 2 : maxConnections; }

  public TableRef getSource() { return source; }
  public void setSource(TableRef source) { this.source = source; }
  public TableRef getTarget() { return target; }
  public void setTarget(TableRef target) { this.target = target; }
  public String getKey() { return key; }
  public void setKey(String key) { this.key = key; }
  public List<String> getThenBy() { return thenBy; }
  public void setThenBy(List<String> thenBy) { this.thenBy = thenBy; }

  /** {@code key} then {@code thenBy}. */
  public List<String> keyColumns() {
    return KeyColumns.of(key, thenBy);
  }
  public List<String> getColumns() { return columns; }
  public void setColumns(List<String> columns) { this.columns = columns; }
  public Long getMaxMismatches() { return maxMismatches; }
  public void setMaxMismatches(Long maxMismatches) { this.maxMismatches = maxMismatches; }
  public String getTimeout() { return timeout; }
  public void setTimeout(String timeout) { this.timeout = timeout; }

  public long maxMismatchesOrDefault() { return maxMismatches == null ? 0 : maxMismatches; }
}
