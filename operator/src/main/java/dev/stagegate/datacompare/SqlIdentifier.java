package dev.stagegate.datacompare;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Validates identifiers from the resource spec before they go anywhere near SQL. Only plain names are
 * accepted (letters, digits, underscore, not starting with a digit, up to 63 characters), optionally
 * schema-qualified for tables; they are then matched against the database's metadata and quoted.
 */
final class SqlIdentifier {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

  private SqlIdentifier() {}

  static String name(String what, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new DataCompareException(what + " " + describe(value)
          + " is not a plain SQL identifier (letters, digits and _, not starting with a digit, at most 63)");
    }
    return value;
  }

  /** A table name, optionally qualified by a schema (PostgreSQL) or database (MariaDB): {@code [schema.]table}. */
  static List<String> qualifiedName(String what, String value) {
    if (value == null) {
      throw new DataCompareException(what + " is missing");
    }
    int dot = value.indexOf('.');
    if (dot < 0) {
      return List.of(name(what, value));
    }
    try {
      return List.of(name(what, value.substring(0, dot)), name(what, value.substring(dot + 1)));
    } catch (DataCompareException e) {
      throw new DataCompareException(what + " " + describe(value)
          + " is not a plain SQL identifier, optionally qualified as schema.table");
    }
  }

  /** Shows a rejected value safely: quoted, shortened, control characters escaped. */
  private static String describe(String value) {
    if (value == null) {
      return "(null)";
    }
    String shown = value.length() > 80 ? value.substring(0, 80) + "..." : value;
    StringBuilder sb = new StringBuilder("'");
    for (char c : shown.toCharArray()) {
      sb.append(c < 0x20 ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return sb.append('\'').toString();
  }
}
