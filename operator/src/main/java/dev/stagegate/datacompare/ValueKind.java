package dev.stagegate.datacompare;

/** How a column's values are rendered to canonical text before hashing (see {@link SqlDialect}). */
public enum ValueKind {
  /** Decimal digits, no leading zeros: {@code 42}, {@code -7}. */
  INTEGER(false),
  /** Trailing fractional zeros removed, so 1.50 (numeric(10,2)) equals 1.500 (numeric(10,3)): {@code 1.5}. */
  DECIMAL(false),
  /** The engine's shortest round-trip text; agrees across engines for plain decimals only. */
  FLOAT(false),
  /** The exact characters in UTF-8, not trimmed, case kept; CHAR(n) padding is dropped by both engines. */
  TEXT(true),
  /** {@code true} / {@code false} (MariaDB TINYINT(1)/BIT(1): non-zero is true). */
  BOOLEAN(false),
  /** ISO {@code 2024-01-31}. */
  DATE(false),
  /** {@code 13:05:09.000000}, always six fractional digits. */
  TIME(false),
  /** {@code 2024-01-31T13:05:09.000000Z}; a zone-less value is taken to be UTC already. */
  TIMESTAMP(false),
  /** Converted to UTC, then like {@link #TIMESTAMP}. */
  TIMESTAMP_TZ(false),
  /** Lower-case hex of the bytes. */
  BINARY(false),
  /** Anything else: the engine's own text rendering, treated as text. */
  OTHER(true);

  private final boolean freeText;

  ValueKind(boolean freeText) {
    this.freeText = freeText;
  }

  /** Free text may contain any character, so its rendering is length-prefixed to keep row encoding unambiguous. */
  public boolean freeText() {
    return freeText;
  }
}
