package dev.stagegate.datacompare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Keys: canonical parts, code-point order, keys written as text (pure)")
class KeyTest {

  @Test
  @DisplayName("text orders by code points, the order both engines follow under COLLATE \"C\" / utf8mb4 bytes")
  void codePointOrder() {
    // given keys whose linguistic, UTF-16 and code-point orders differ
    List<Key> keys = new ArrayList<>(List.of(Key.of("a"), Key.of("B"), Key.of("\uFFFF"), Key.of("😀"), Key.of("é"),
        Key.of("ab"), Key.of("a b")));

    // when sorted
    keys.sort(null);

    // then upper case before lower, accents after ASCII, U+FFFF before U+1F600 (String.compareTo says otherwise)
    assertThat(keys).containsExactly(Key.of("B"), Key.of("a"), Key.of("a b"), Key.of("ab"), Key.of("é"),
        Key.of("\uFFFF"), Key.of("😀"));
    assertThat("\uFFFF".compareTo("😀")).isPositive();
  }

  @Test
  @DisplayName("composite keys order part by part; integers numerically")
  void compositeOrder() {
    assertThat(Key.of("NL", 10L).compareTo(Key.of("NL", 9L))).isPositive();
    assertThat(Key.of("DE", 99L).compareTo(Key.of("NL", 1L))).isNegative();
    assertThat(Key.of(-5).compareTo(Key.of(3))).isNegative();
    assertThatThrownBy(() -> Key.of("NL", 1L).compareTo(Key.of("NL")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different numbers of parts");
  }

  @Test
  @DisplayName("UUIDs, dates and timestamps are held as canonical text")
  void canonicalParts() {
    UUID id = UUID.fromString("0F8FAD5B-D9CB-469F-A165-70867728950E");
    assertThat(Key.of(id).part(0)).isEqualTo("0f8fad5b-d9cb-469f-a165-70867728950e");
    assertThat(Key.of(LocalDate.of(2024, 2, 29)).part(0)).isEqualTo("2024-02-29");
    assertThat(Key.of(LocalDateTime.of(2024, 2, 29, 13, 5, 9)).part(0)).isEqualTo("2024-02-29T13:05:09.000000");
    assertThat(Key.of(42).isInteger()).isTrue();
    assertThat(Key.of(42).asLong()).isEqualTo(42L);
    assertThatThrownBy(() -> Key.of("x").asLong()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> Key.of(1.5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Double");
  }

  @Test
  @DisplayName("a key of several columns is written and read as a JSON array")
  void compositeText() {
    KeyShape shape = new KeyShape(List.of("country", "member_no"), List.of(KeyKind.TEXT, KeyKind.INTEGER));
    Key key = shape.parse("[\"N\\\"L\", 42]");
    assertThat(key).isEqualTo(Key.of("N\"L", 42L));
    assertThat(key.toString()).isEqualTo("[\"N\\\"L\",42]");
    assertThat(shape.parse(key.toString())).isEqualTo(key);
    assertThat(KeyShape.integer("id").parse("-7")).isEqualTo(Key.of(-7));
  }

  @Test
  @DisplayName("a key that does not fit the shape is refused naming the column and kind")
  void badKeys() {
    KeyShape shape = new KeyShape(List.of("country", "member_no"), List.of(KeyKind.TEXT, KeyKind.INTEGER));
    assertThatThrownBy(() -> shape.parse("NL-42")).hasMessageContaining("is not a JSON array");
    assertThatThrownBy(() -> shape.parse("[\"NL\"]")).hasMessageContaining("must be a JSON array of 2 values");
    assertThatThrownBy(() -> shape.parse("[\"NL\", \"x\"]"))
        .hasMessageContaining("column member_no (integer): cannot read 'x'");
    KeyShape ids = new KeyShape(List.of("id"), List.of(KeyKind.UUID));
    assertThat(ids.parse("0F8FAD5B-D9CB-469F-A165-70867728950E")).isEqualTo(Key.of("0f8fad5b-d9cb-469f-a165-70867728950e"));
    assertThatThrownBy(() -> ids.parse("f8fad5b-d9cb-469f-a165-70867728950e"))
        .hasMessageContaining("column id (uuid)").hasMessageContaining("not a canonical UUID");
    assertThatThrownBy(() -> new KeyShape(List.of("d"), List.of(KeyKind.DATE)).parse("2024-02-30"))
        .hasMessageContaining("column d (date): cannot read '2024-02-30'");
    assertThatThrownBy(() -> shape.check(Key.of(1L, 2L), "bound"))
        .isInstanceOf(DataCompareException.class).hasMessageContaining("key column country is text but the value given is an integer");
  }
}
