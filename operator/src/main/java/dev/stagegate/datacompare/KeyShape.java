package dev.stagegate.datacompare;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The key columns of a table and their kinds: what a key given as text (a stage boundary in a spec) means.
 * One column: the value itself ({@code 42}, {@code M-0001}); several: a JSON array ({@code ["NL", 42]}).
 */
public record KeyShape(List<String> columns, List<KeyKind> kinds) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public KeyShape {
    columns = List.copyOf(columns);
    kinds = List.copyOf(kinds);
    if (columns.isEmpty() || columns.size() != kinds.size()) {
      throw new IllegalArgumentException("a key shape needs one kind per column: " + columns + " " + kinds);
    }
  }

  public static KeyShape integer(String column) {
    return new KeyShape(List.of(column), List.of(KeyKind.INTEGER));
  }

  public int size() {
    return columns.size();
  }

  /** Reads a key written as text; the message names the column and kind that could not be read. */
  public Key parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("no key given for " + this);
    }
    List<String> values = new ArrayList<>();
    if (size() == 1) {
      values.add(text);
    } else {
      JsonNode node;
      try {
        node = JSON.readTree(text);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("key '" + text + "' of " + this + " is not a JSON array");
      }
      if (node == null || !node.isArray() || node.size() != size()) {
        throw new IllegalArgumentException("key '" + text + "' must be a JSON array of " + size() + " values for " + this);
      }
      node.forEach(n -> values.add(n.asText()));
    }
    List<Object> parts = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      parts.add(part(i, values.get(i), text));
    }
    return Key.ofParts(parts);
  }

  private Object part(int i, String value, String whole) {
    String where = "key '" + whole + "': column " + columns.get(i) + " (" + kinds.get(i).name().toLowerCase() + ")";
    try {
      return switch (kinds.get(i)) {
        case INTEGER -> Long.parseLong(value);
        case TEXT -> value;
        case UUID -> {
          // Keys are compared as canonical text, so only the canonical spelling can be a bound.
          String lower = value.toLowerCase();
          if (!UUID.fromString(lower).toString().equals(lower)) {
            throw new IllegalArgumentException("not a canonical UUID");
          }
          yield lower;
        }
        case DATE -> {
          LocalDate.parse(value);
          yield value;
        }
        case TIMESTAMP -> Key.of(LocalDateTime.parse(value)).part(0);
      };
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new IllegalArgumentException(where + ": cannot read '" + value + "'");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + ": cannot read '" + value + "': " + e.getMessage());
    }
  }

  /** A key given in code (not parsed) must still fit: same number of parts, integers where the columns are integers. */
  void check(Key key, String what) {
    if (key.size() != size()) {
      throw new DataCompareException(what + " " + key + " has " + key.size() + " parts but the key " + this
          + " has " + size() + " columns");
    }
    for (int i = 0; i < size(); i++) {
      boolean integer = kinds.get(i) == KeyKind.INTEGER;
      if (integer != (key.part(i) instanceof Long)) {
        throw new DataCompareException(what + " " + key + ": key column " + columns.get(i) + " is "
            + kinds.get(i).name().toLowerCase() + " but the value given is " + (integer ? "text" : "an integer"));
      }
    }
  }

  void check(KeyRange range, String who) {
    if (range.fromInclusive() != null) {
      check(range.fromInclusive(), who + ": range bound");
    }
    if (range.toExclusive() != null) {
      check(range.toExclusive(), who + ": range bound");
    }
  }

  static String jsonString(String value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    List<String> named = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      named.add(columns.get(i) + " " + kinds.get(i).name().toLowerCase());
    }
    return "(" + String.join(", ", named) + ")";
  }
}
