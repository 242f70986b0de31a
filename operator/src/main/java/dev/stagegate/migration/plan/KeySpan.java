package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.common.Numbers;
import dev.stagegate.api.migration.VerifyStatus;
import java.util.List;
import java.util.Objects;

/**
 * Keys {@code [from, to)} of one stage or of several adjacent ones, as the status holds them: integers in
 * {@code keyFrom}/{@code keyTo} (unchanged from integer-only partitions), any other key as text in
 * {@code fromKey}/{@code toKey} (one column as itself, a composite key as a JSON array), read back through
 * the table's key shape by whoever queries. A null {@code to} of a typed span means "to the end".
 */
public record KeySpan(boolean integer, String from, String to, List<String> cuts) {

  /**
   * @param cuts keys inside the span where a compare may cut it into parts compared in parallel (stage starts and
   *     parallel stages' sub-range starts); empty when no stage of the span loads in parallel
   */
  public KeySpan {
    cuts = cuts == null ? List.of() : List.copyOf(cuts);
  }

  public KeySpan(boolean integer, String from, String to) {
    this(integer, from, to, List.of());
  }

  /**
   * From the first stage to {@code last}, with the cuts a compare needs to follow parallel loads: each stage's start
   * and its sub-ranges' starts, but only when some stage in the span was loaded in parallel.
   */
  public static KeySpan upTo(List<StageProgress> stages, StageProgress last) {
    KeySpan span = over(stages.get(0), last);
    int end = stages.indexOf(last);
    if (stages.subList(0, end + 1).stream().allMatch(s -> s.getParts() == null || s.getParts().isEmpty())) {
      return span;
    }
    List<String> cuts = new java.util.ArrayList<>();
    for (int i = 0; i <= end; i++) {
      StageProgress s = stages.get(i);
      if (i > 0) {
        cuts.add(of(s).from());
      }
      if (s.getParts() != null) {
        cuts.addAll(s.getParts());
      }
    }
    return new KeySpan(span.integer(), span.from(), span.to(), cuts);
  }

  public static KeySpan of(StageProgress stage) {
    return over(stage, stage);
  }

  /** From the start of {@code first} to the end of {@code last}. */
  public static KeySpan over(StageProgress first, StageProgress last) {
    if (first.getKeyFrom() != null) {
      return new KeySpan(true, Long.toString(first.getKeyFrom()), Long.toString(last.getKeyTo()));
    }
    return new KeySpan(false, first.getFromKey(), last.getToKey());
  }

  /** Every key of the migration's stages. */
  public static KeySpan all(List<StageProgress> stages) {
    return over(stages.get(0), stages.get(stages.size() - 1));
  }

  public long fromLong() {
    return Long.parseLong(from);
  }

  public long toLong() {
    return Long.parseLong(to);
  }

  /** No key can lie in it (a stage its neighbour's quantile left empty). */
  public boolean empty() {
    return integer ? fromLong() >= toLong() : to != null && from.equals(to);
  }

  /** {@code [1, 500)}, {@code [M-0001, M-0500)}, {@code [["NL",1], end)}. */
  public String describe() {
    return integer ? Numbers.range(fromLong(), toLong()) : "[" + from + ", " + (to == null ? "end" : to) + ")";
  }

  /** A fresh status entry of a check over these keys. */
  VerifyStatus newStatus(String check, String stage) {
    VerifyStatus vs = integer ? new VerifyStatus(check, stage, fromLong(), toLong()) : new VerifyStatus(check, stage, null, null);
    if (!integer) {
      vs.setFromKey(from);
      vs.setToKey(to);
    }
    return vs;
  }

  /** Whether {@code vs} was evaluated over these keys. */
  boolean describes(VerifyStatus vs) {
    return integer ? vs.getKeyTo() != null && vs.getKeyTo() == toLong() && vs.getKeyFrom() != null && vs.getKeyFrom() == fromLong()
        : Objects.equals(vs.getFromKey(), from) && Objects.equals(vs.getToKey(), to);
  }

  @Override
  public String toString() {
    return describe();
  }
}
