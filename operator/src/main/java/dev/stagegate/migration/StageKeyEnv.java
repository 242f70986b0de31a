package dev.stagegate.migration;

import dev.stagegate.api.migration.Partition;
import dev.stagegate.migration.plan.KeySpan;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stage's keys as a Job sees them. Values travel as environment variables, never inside SQL the operator
 * writes: the loader binds them as parameters. Integer keys keep the two variables they always had; any other
 * key adds its columns and a flag for an open end, so a loader can tell "no upper bound" from an empty string.
 */
final class StageKeyEnv {
  static final String KEY_FROM = MigrationJobs.ENV_KEY_FROM;
  static final String KEY_TO = MigrationJobs.ENV_KEY_TO;
  /** Comma-separated key columns in key order (typed keys only). */
  static final String KEY_COLUMNS = "STAGEGATE_KEY_COLUMNS";
  /** "true" when the range runs to the end of the table (the last stage of a typed key); KEY_TO is then empty. */
  static final String KEY_TO_OPEN = "STAGEGATE_KEY_TO_OPEN";

  private StageKeyEnv() {}

  static Map<String, String> of(Partition partition, KeySpan keys) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(KEY_FROM, keys.from());
    env.put(KEY_TO, keys.to() == null ? "" : keys.to());
    if (!keys.integer()) {
      env.put(KEY_COLUMNS, String.join(",", partition.keyColumns()));
      env.put(KEY_TO_OPEN, Boolean.toString(keys.to() == null));
    }
    return env;
  }
}
