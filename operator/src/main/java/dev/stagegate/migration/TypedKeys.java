package dev.stagegate.migration;

import dev.stagegate.datacompare.DataComparer;
import dev.stagegate.datacompare.KeyRange;
import dev.stagegate.datacompare.KeyShape;
import dev.stagegate.datacompare.TableSide;
import dev.stagegate.migration.plan.KeySpan;
import dev.stagegate.datacompare.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Stage keys as the status holds them, read back as a range of the comparison engine for one table. */
final class TypedKeys {
  private TypedKeys() {}

  /**
   * The span cut at its {@link KeySpan#cuts()} (stage and parallel sub-range starts), in key order: the parts a
   * compare checks one by one. A single part when nothing in the span was loaded in parallel.
   */
  static List<KeyRange> parts(DataComparer comparer, TableSide side, KeySpan keys) {
    KeyRange whole = range(comparer, side, keys);
    if (keys.cuts().isEmpty()) {
      return List.of(whole);
    }
    KeyShape shape = keys.integer() ? null : comparer.keyShape(side);
    TreeSet<Key> inside = new TreeSet<>();
    for (String cut : keys.cuts()) {
      Key key = shape == null ? Key.of(Long.parseLong(cut)) : shape.parse(cut);
      if (whole.contains(key) && !key.equals(whole.fromInclusive())) {
        inside.add(key);
      }
    }
    List<KeyRange> out = new ArrayList<>();
    Key from = whole.fromInclusive();
    for (Key cut : inside) {
      out.add(KeyRange.of(from, cut));
      from = cut;
    }
    out.add(KeyRange.of(from, whole.toExclusive()));
    return out;
  }

  /** Integer spans need no query; typed bounds are read through the table's key shape (one metadata query). */
  static KeyRange range(DataComparer comparer, TableSide side, KeySpan keys) {
    if (keys.integer()) {
      return KeyRange.of(keys.fromLong(), keys.toLong());
    }
    KeyShape shape = comparer.keyShape(side);
    return KeyRange.of(shape.parse(keys.from()), keys.to() == null ? null : shape.parse(keys.to()));
  }
}
