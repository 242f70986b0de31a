package dev.stagegate.datacompare;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a comparison found over {@code range}.
 *
 * @param sourceRows rows in the range on the source (0 for an expect-empty check)
 * @param targetRows rows in the range on the target
 * @param missing rows in the source that the target lacks
 * @param extra rows in the target that the source does not have
 * @param changed rows on both sides whose compared columns differ
 * @param missingSamples up to {@link CompareOptions#sampleLimit()} smallest keys of missing rows, ascending
 * @param extraSamples likewise for extra rows
 * @param changedSamples likewise for changed rows
 * @param duration wall time of the whole comparison
 * @param queries data queries run on both sides together (session setup and metadata not counted)
 * @param rowsFetched rows read one by one (key and row hash) for row-level diffs, both sides together
 * @param mode the row hash used
 */
public record ComparisonResult(
    KeyRange range,
    long sourceRows,
    long targetRows,
    long missing,
    long extra,
    long changed,
    List<Long> missingSamples,
    List<Long> extraSamples,
    List<Long> changedSamples,
    Duration duration,
    int queries,
    long rowsFetched,
    ChecksumMode mode) {

  public ComparisonResult {
    missingSamples = List.copyOf(missingSamples);
    extraSamples = List.copyOf(extraSamples);
    changedSamples = List.copyOf(changedSamples);
  }

  /** Missing + extra + changed: what a check's {@code maxMismatches} is compared with. */
  public long mismatches() {
    return missing + extra + changed;
  }

  public boolean identical() {
    return mismatches() == 0;
  }

  /** One line for a status message, e.g. {@code 1000 source rows, 1001 target rows: 1 extra (e.g. 5001)}. */
  public String summary() {
    String head = sourceRows + " source rows, " + targetRows + " target rows in " + range;
    if (identical()) {
      return head + ": identical";
    }
    StringBuilder sb = new StringBuilder(head).append(':');
    append(sb, missing, "missing", missingSamples);
    append(sb, extra, "extra", extraSamples);
    append(sb, changed, "changed", changedSamples);
    return sb.toString();
  }

  private static void append(StringBuilder sb, long count, String what, List<Long> samples) {
    if (count == 0) {
      return;
    }
    if (sb.charAt(sb.length() - 1) != ':') {
      sb.append(',');
    }
    sb.append(' ').append(count).append(' ').append(what);
    if (!samples.isEmpty()) {
      sb.append(" (e.g. ").append(samples.stream().map(String::valueOf).collect(Collectors.joining(", "))).append(')');
    }
  }
}
