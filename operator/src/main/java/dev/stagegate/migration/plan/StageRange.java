package dev.stagegate.migration.plan;

/**
 * One stage's keys [keyFrom, keyTo) and the source rows in it; a text, UUID, date or composite key's bounds as
 * text in {@code fromKey}/{@code toKey} instead ({@code toKey} null: to the end).
 */
public record StageRange(long keyFrom, long keyTo, long rows, String fromKey, String toKey) {
  public StageRange(long keyFrom, long keyTo, long rows) {
    this(keyFrom, keyTo, rows, null, null);
  }

  public static StageRange typed(String fromKey, String toKey, long rows) {
    return new StageRange(0, 0, rows, fromKey, toKey);
  }

  public boolean typed() {
    return fromKey != null;
  }

  KeySpan keys() {
    return typed() ? new KeySpan(false, fromKey, toKey) : new KeySpan(true, Long.toString(keyFrom), Long.toString(keyTo));
  }
}
