package dev.stagegate.migration;

import dev.stagegate.api.migration.CompareCheck;
import dev.stagegate.api.migration.DataMigrationSpec;
import dev.stagegate.api.migration.MigrationStage;
import dev.stagegate.api.migration.Partition;
import dev.stagegate.datacompare.DataCompareException;
import dev.stagegate.datacompare.DataComparer;
import dev.stagegate.datacompare.Key;
import dev.stagegate.datacompare.KeyKind;
import dev.stagegate.datacompare.KeyRange;
import dev.stagegate.datacompare.KeyShape;
import dev.stagegate.datacompare.TableSide;
import dev.stagegate.migration.plan.Boundaries;
import dev.stagegate.migration.plan.StageRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A partition over a key that is not one integer column: text, UUID, date, timestamp or several columns.
 * Kinds, collations and boundaries come from the comparison engine, so the migration's stages, its Jobs' ranges
 * and its verify checks all use one order (integers numerically, text by code points) on both databases.
 */
final class TypedPartition {
  private final DataMigrationSpec spec;
  private final SecretDatabase source;
  private final SecretDatabase target;
  private final DataComparer comparer;

  TypedPartition(DataMigrationSpec spec, SecretDatabase source, SecretDatabase target, DataComparer comparer) {
    this.spec = spec;
    this.source = source;
    this.target = target;
    this.comparer = comparer;
  }

  /** Integer single-column partitions keep their own (older, query-free) path. */
  static boolean applies(Partition partition, boolean integerKeyColumn) {
    return !integerKeyColumn || (partition.getThenBy() != null && !partition.getThenBy().isEmpty());
  }

  private TableSide partitionSide() {
    List<String> keys = spec.getPartition().keyColumns();
    return TableSide.source(source, spec.getPartition().getTable(), keys, keys);
  }

  /** Spec problems, each naming its field; empty when the key can be ordered and matched alike on both sides. */
  List<String> problems() {
    List<String> errors = new ArrayList<>();
    KeyShape partition;
    try {
      partition = comparer.keyShape(partitionSide());
    } catch (DataCompareException e) {
      // A database that fails here says nothing about the spec: DatabaseFailure pauses the preflight instead.
      DatabaseFailure.throwIfDatabase(source, "reading the shape of spec.partition.key", e);
      errors.add("spec.partition.key: " + source.redact(e.getMessage()));
      return errors;
    }
    if (partition.kinds().contains(KeyKind.TEXT) && spec.getPartition().getCollation() == null) {
      errors.add("spec.partition.collation: key column " + textColumn(partition) + " is text, and PostgreSQL and"
          + " MariaDB/MySQL order and match text by their own collations; declare `collation: Binary` (Unicode code"
          + " points exactly as stored: 'ABC' and 'abc' are two keys) to compare both sides in one order");
    }
    for (int i = 0; i < spec.verifyOrEmpty().size(); i++) {
      CompareCheck compare = spec.verifyOrEmpty().get(i).getCompare();
      if (compare != null) {
        compareProblems("spec.verify[" + i + "].compare", compare, partition, errors);
      }
    }
    return errors;
  }

  private void compareProblems(String field, CompareCheck compare, KeyShape partition, List<String> errors) {
    if (compare.keyColumns().size() != partition.size()) {
      errors.add(field + ".thenBy: the check has " + compare.keyColumns().size() + " key column(s) "
          + compare.keyColumns() + " but spec.partition has " + partition.size() + " " + partition);
      return;
    }
    sideProblems(field, "source", TableSide.source(source, compare.getSource().getTable(), compare.keyColumns(),
        compare.getColumns()), partition, source, errors);
    sideProblems(field, "target", TableSide.target(target, compare.getTarget().getTable(), compare.keyColumns(),
        compare.getColumns()), partition, target, errors);
  }

  private void sideProblems(String field, String role, TableSide side, KeyShape partition, SecretDatabase db,
      List<String> errors) {
    KeyShape shape;
    try {
      shape = comparer.keyShape(side);
    } catch (DataCompareException e) {
      DatabaseFailure.throwIfDatabase(db, "reading the shape of " + field + ".key", e);
      errors.add(field + ".key: " + db.redact(e.getMessage()));
      return;
    }
    for (int i = 0; i < shape.size(); i++) {
      if (!shape.kinds().get(i).matches(partition.kinds().get(i))) {
        errors.add(field + ".key: key column " + shape.columns().get(i) + " of " + side.table() + " in the "
            + db.description() + " is " + kind(shape.kinds().get(i)) + " but partition key column "
            + partition.columns().get(i) + " is " + kind(partition.kinds().get(i)) + "; the stage bounds cannot be read for it");
      }
    }
  }

  /**
   * Stage k ends after ceil(N * percent_k / 100) rows in key order, like integer keys; the end is the key of the
   * next row (exclusive). There is no "largest key + 1" for text, so the last stage runs to the end, and an earlier
   * stage leaves at least the largest row to it. Null when the source has no row.
   */
  Boundaries boundaries() {
    List<MigrationStage> stages = spec.getStages();
    long total = comparer.keysAtRows(partitionSide(), KeyRange.all()).rows();
    if (total == 0) {
      return null;
    }
    long[] starts = new long[stages.size()];
    starts[0] = 1;
    for (int i = 0; i < stages.size() - 1; i++) {
      long rows = (long) Math.ceil(total * (stages.get(i).getPercent() / 100.0));
      starts[i + 1] = Math.min(total, Math.max(1, rows)) + (rows >= total ? 0 : 1);
    }
    DataComparer.RowPositions at = comparer.keysAtRows(partitionSide(), KeyRange.all(), starts);
    List<Long> sortedStarts = java.util.Arrays.stream(starts).distinct().sorted().boxed().toList();
    List<StageRange> ranges = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      Key from = at.keys().get(sortedStarts.indexOf(starts[i]));
      boolean last = i == stages.size() - 1;
      Key to = last ? null : at.keys().get(sortedStarts.indexOf(starts[i + 1]));
      long rows = last ? total - starts[i] + 1 : starts[i + 1] - starts[i];
      ranges.add(StageRange.typed(from.toString(), to == null ? null : to.toString(), rows));
    }
    return new Boundaries(total, ranges);
  }

  private static String textColumn(KeyShape shape) {
    return shape.columns().get(shape.kinds().indexOf(KeyKind.TEXT));
  }

  private static String kind(KeyKind kind) {
    return kind.name().toLowerCase(Locale.ROOT);
  }
}
