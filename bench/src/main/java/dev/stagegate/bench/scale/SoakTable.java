package dev.stagegate.bench.scale;

import java.util.List;
import java.util.Locale;

/** The soak's per-minute rows. Heap after GC and RSS are the current operator JVM's (a killed one's are gone). */
final class SoakTable {
  record Row(int minute, double heapMb, double rssMb, int promoted, int rolledBack, int releasesFailed, int migrated, int undone,
      int migrationsFailed, int stuck, long reconcileErrors, int faults, int restarts, double load) {}

  private SoakTable() {}

  static String header() {
    return "| min | heap after GC MB | RSS MB | rollouts promoted | rolled back | failed | migrations succeeded | undone | failed"
        + " | stuck | reconcile errors | faults | operator restarts | load |\n"
        + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";
  }

  static String row(Row r) {
    return String.format(Locale.ROOT, "| %d | %s | %s | %d | %d | %d | %d | %d | %d | %d | %d | %d | %d | %.1f |", r.minute(),
        mb(r.heapMb()), mb(r.rssMb()), r.promoted(), r.rolledBack(), r.releasesFailed(), r.migrated(), r.undone(), r.migrationsFailed(),
        r.stuck(), r.reconcileErrors(), r.faults(), r.restarts(), r.load());
  }

  private static String mb(double mb) {
    return mb < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", mb);
  }

  static String render(List<Row> rows) {
    StringBuilder sb = new StringBuilder(header()).append('\n');
    rows.forEach(r -> sb.append(row(r)).append('\n'));
    return sb.toString();
  }
}
