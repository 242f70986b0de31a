package dev.stagegate.migration;

import dev.stagegate.api.migration.DataMigrationSpec;
import dev.stagegate.api.migration.MigrationStage;
import dev.stagegate.datacompare.DataComparer;
import dev.stagegate.datacompare.Key;
import dev.stagegate.datacompare.KeyRange;
import dev.stagegate.datacompare.TableSide;
import dev.stagegate.migration.plan.Boundaries;
import dev.stagegate.migration.plan.StageRange;
import java.util.ArrayList;
import java.util.List;

/**
 * The sub-ranges of stages loaded in parallel: each stage with {@code parallelism: n} is cut at exact row quantiles
 * of the source into up to n parts of equal rows, fixed once with the boundaries, so every pod of the Indexed Job
 * and every part of the compare sees the same cut after any restart.
 */
final class ParallelParts {
  private ParallelParts() {}

  static boolean wanted(DataMigrationSpec spec) {
    return spec.getStages().stream().anyMatch(s -> s.parallelismOrOne() > 1);
  }

  static Boundaries cut(DataMigrationSpec spec, SecretDatabase source, DataComparer comparer, Boundaries boundaries) {
    List<String> keys = spec.getPartition().keyColumns();
    TableSide side = TableSide.source(source, spec.getPartition().getTable(), keys, keys);
    List<StageRange> out = new ArrayList<>();
    for (int i = 0; i < boundaries.stages().size(); i++) {
      StageRange stage = boundaries.stages().get(i);
      MigrationStage wanted = spec.getStages().get(i);
      int n = (int) Math.min(wanted.parallelismOrOne(), stage.rows());
      if (n < 2) {
        out.add(stage);
        continue;
      }
      long[] starts = new long[n - 1];
      for (int j = 1; j < n; j++) {
        starts[j - 1] = stage.rows() * j / n + 1;
      }
      List<Key> at = comparer.keysAtRows(side, TypedKeys.range(comparer, side, stage.keys()), starts).keys();
      out.add(stage.withParts(at.stream().map(Key::toString).toList()));
    }
    return new Boundaries(boundaries.totalRows(), out);
  }
}
