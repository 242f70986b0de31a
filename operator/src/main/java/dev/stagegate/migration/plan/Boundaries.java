package dev.stagegate.migration.plan;

import java.util.List;

/** Stage ranges cut at row quantiles of the partition key: stage k ends after percent_k of the rows. */
public record Boundaries(long totalRows, List<StageRange> stages) {
  public Boundaries {
    stages = List.copyOf(stages);
  }

  /** Every key of the stages. */
  public KeySpan keys() {
    StageRange first = stages.get(0);
    StageRange last = stages.get(stages.size() - 1);
    return first.typed() ? new KeySpan(false, first.fromKey(), last.toKey())
        : new KeySpan(true, Long.toString(first.keyFrom()), Long.toString(last.keyTo()));
  }
}
