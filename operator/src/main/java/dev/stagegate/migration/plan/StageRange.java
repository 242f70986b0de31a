package dev.stagegate.migration.plan;

import java.util.List;

/**
 * One stage's keys [keyFrom, keyTo) and the source rows in it; a text, UUID, date or composite key's bounds as
 * text in {@code fromKey}/{@code toKey} instead ({@code toKey} null: to the end).
 */
public record StageRange(long keyFrom, long keyTo, long rows, String fromKey, String toKey, List<String> parts) {
  public StageRange {
    parts = parts == null ? List.of() : List.copyOf(parts);
  }

  public StageRange(long keyFrom, long keyTo, long rows) {
    this(keyFrom, keyTo, rows, null, null, List.of());
  }

  public static StageRange typed(String fromKey, String toKey, long rows) {
    return new StageRange(0, 0, rows, fromKey, toKey, List.of());
  }

  /** The same stage, loaded in parallel: its sub-ranges after the first start at these keys. */
  public StageRange withParts(List<String> starts) {
    return new StageRange(keyFrom, keyTo, rows, fromKey, toKey, starts);
  }

  public boolean typed() {
    return fromKey != null;
  }

  public KeySpan keys() {
    return typed() ? new KeySpan(false, fromKey, toKey) : new KeySpan(true, Long.toString(keyFrom), Long.toString(keyTo));
  }
}
