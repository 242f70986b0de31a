package dev.stagegate.migration;

import dev.stagegate.datacompare.DataComparer;
import dev.stagegate.datacompare.KeyRange;
import dev.stagegate.datacompare.KeyShape;
import dev.stagegate.datacompare.TableSide;
import dev.stagegate.migration.plan.KeySpan;

/** Stage keys as the status holds them, read back as a range of the comparison engine for one table. */
final class TypedKeys {
  private TypedKeys() {}

  /** Integer spans need no query; typed bounds are read through the table's key shape (one metadata query). */
  static KeyRange range(DataComparer comparer, TableSide side, KeySpan keys) {
    if (keys.integer()) {
      return KeyRange.of(keys.fromLong(), keys.toLong());
    }
    KeyShape shape = comparer.keyShape(side);
    return KeyRange.of(shape.parse(keys.from()), keys.to() == null ? null : shape.parse(keys.to()));
  }
}
