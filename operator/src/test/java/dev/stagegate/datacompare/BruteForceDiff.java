package dev.stagegate.datacompare;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** The obviously-correct diff the bisection must agree with: compare every row of both sides. */
record BruteForceDiff(TreeSet<Long> missing, TreeSet<Long> extra, TreeSet<Long> changed) {

  static BruteForceDiff of(Map<Long, List<String>> source, Map<Long, List<String>> target, KeyRange range) {
    TreeSet<Long> missing = new TreeSet<>();
    TreeSet<Long> extra = new TreeSet<>();
    TreeSet<Long> changed = new TreeSet<>();
    source.forEach((key, row) -> {
      if (!inRange(key, range)) {
        return;
      }
      if (!target.containsKey(key)) {
        missing.add(key);
      } else if (!Objects.equals(row, target.get(key))) {
        changed.add(key);
      }
    });
    target.keySet().stream().filter(k -> inRange(k, range) && !source.containsKey(k)).forEach(extra::add);
    return new BruteForceDiff(missing, extra, changed);
  }

  private static boolean inRange(long key, KeyRange range) {
    return range.contains(Key.of(key));
  }
}
