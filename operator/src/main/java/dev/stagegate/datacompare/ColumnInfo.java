package dev.stagegate.datacompare;

/**
 * A column as found in the table's metadata: its exact name, the engine's type name and how it is rendered.
 * {@code lengthPrefixed} is decided for both sides together (if either side holds free text) so that a
 * column with text on one side and numbers on the other still renders the same way on both.
 */
public record ColumnInfo(String name, String typeName, ValueKind kind, boolean lengthPrefixed) {

  ColumnInfo withLengthPrefixed(boolean prefixed) {
    return new ColumnInfo(name, typeName, kind, prefixed);
  }
}
