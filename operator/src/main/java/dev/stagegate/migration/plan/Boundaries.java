package dev.stagegate.migration.plan;

import java.util.List;

/** Stage ranges cut at row quantiles of the partition key: stage k ends after percent_k of the rows. */
public record Boundaries(long totalRows, List<StageRange> stages) {
  public Boundaries {
    stages = List.copyOf(stages);
  }
}
