package dev.stagegate.datacompare;

/** How a key column's values are read, ordered and written as literals. */
public enum KeyKind {
  INTEGER,
  /** Ordered and matched by Unicode code points, whatever the column's collation says. */
  TEXT,
  /** Canonical lower-case text; a native uuid on one side matches a text column on the other. */
  UUID,
  /** ISO {@code 2024-01-31}. */
  DATE,
  /** {@code 2024-01-31T13:05:09.000000}, UTC for zoned columns. */
  TIMESTAMP;

  /** Whether a key column of this kind can be paired with one of {@code other} kind on the other side. */
  public boolean matches(KeyKind other) {
    return this == other || (textual() && other.textual());
  }

  boolean textual() {
    return this == TEXT || this == UUID;
  }
}
