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
 * @param samples up to {@link CompareOptions#sampleLimit()} smallest keys of each kind of difference, ascending
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
    DifferenceSamples samples,
    Duration duration,
    int queries,
    long rowsFetched,
    ChecksumMode mode) {

  /** A result of a one-column integer key, samples given as numbers. */
  public ComparisonResult(KeyRange range, long sourceRows, long targetRows, long missing, long extra, long changed,
      List<Long> missingSamples, List<Long> extraSamples, List<Long> changedSamples, Duration duration, int queries,
      long rowsFetched, ChecksumMode mode) {
    this(range, sourceRows, targetRows, missing, extra, changed,
        DifferenceSamples.ofLongs(missingSamples, extraSamples, changedSamples), duration, queries, rowsFetched, mode);
  }

  /** Missing + extra + changed: what a check's {@code maxMismatches} is compared with. */
  public long mismatches() {
    return missing + extra + changed;
  }

  public boolean identical() {
    return mismatches() == 0;
  }

  /** Sample keys of missing rows as numbers; only for a one-column integer key. */
  public List<Long> missingSamples() {
    return longs(samples.missing());
  }

  public List<Long> extraSamples() {
    return longs(samples.extra());
  }

  public List<Long> changedSamples() {
    return longs(samples.changed());
  }

  private static List<Long> longs(List<Key> keys) {
    return keys.stream().map(Key::asLong).toList();
  }

  /**
   * Adds up the results of adjacent parts of one range (compared separately, e.g. in parallel): counts summed,
   * the smallest samples kept, the duration of the longest part (they ran at the same time).
   */
  public static ComparisonResult merge(List<ComparisonResult> parts, int sampleLimit) {
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("nothing to merge");
    }
    DifferenceCollector samples = new DifferenceCollector(sampleLimit);
    long sourceRows = 0;
    long targetRows = 0;
    long missing = 0;
    long extra = 0;
    long changed = 0;
    long fetched = 0;
    int queries = 0;
    Duration longest = Duration.ZERO;
    for (ComparisonResult part : parts) {
      sourceRows += part.sourceRows;
      targetRows += part.targetRows;
      missing += part.missing;
      extra += part.extra;
      changed += part.changed;
      fetched += part.rowsFetched;
      queries += part.queries;
      longest = part.duration.compareTo(longest) > 0 ? part.duration : longest;
      part.samples.missing().forEach(samples::sampleMissing);
      part.samples.extra().forEach(samples::sampleExtra);
      part.samples.changed().forEach(samples::sampleChanged);
    }
    KeyRange whole = new KeyRange(parts.get(0).range.fromInclusive(), parts.get(parts.size() - 1).range.toExclusive());
    return new ComparisonResult(whole, sourceRows, targetRows, missing, extra, changed, samples.samples(), longest,
        queries, fetched, parts.get(0).mode);
  }

  /** One line for a status message, e.g. {@code 1000 source rows, 1001 target rows: 1 extra (e.g. 5001)}. */
  public String summary() {
    String head = sourceRows + " source rows, " + targetRows + " target rows in " + range;
    if (identical()) {
      return head + ": identical";
    }
    StringBuilder sb = new StringBuilder(head).append(':');
    append(sb, missing, "missing", samples.missing());
    append(sb, extra, "extra", samples.extra());
    append(sb, changed, "changed", samples.changed());
    return sb.toString();
  }

  private static void append(StringBuilder sb, long count, String what, List<Key> keys) {
    if (count == 0) {
      return;
    }
    if (sb.charAt(sb.length() - 1) != ':') {
      sb.append(',');
    }
    sb.append(' ').append(count).append(' ').append(what);
    if (!keys.isEmpty()) {
      sb.append(" (e.g. ").append(keys.stream().map(Key::toString).collect(Collectors.joining(", "))).append(')');
    }
  }
}
