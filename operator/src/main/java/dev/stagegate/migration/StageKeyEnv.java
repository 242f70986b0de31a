package dev.stagegate.migration;

import dev.stagegate.api.migration.Partition;
import dev.stagegate.migration.plan.KeySpan;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

  /** Sub-ranges of a parallel stage: how many, and their n + 1 bounds as a JSON array (last null: to the end). */
  static final String PARTS = "STAGEGATE_PARTS";
  static final String PART_BOUNDS = "STAGEGATE_PART_BOUNDS";
  private static final ObjectMapper JSON = new ObjectMapper();

  private StageKeyEnv() {}

  /**
   * A parallel load's pods all get the same variables; the pod with {@code JOB_COMPLETION_INDEX} i (set by
   * Kubernetes in an Indexed Job) loads {@code [bounds[i], bounds[i + 1])}. Bounds are JSON values: numbers for an
   * integer key, strings for text, UUID and dates, arrays for a composite key.
   */
  static Map<String, String> parts(Partition partition, KeySpan stage, List<String> starts) {
    boolean composite = partition.keyColumns().size() > 1;
    ArrayNode bounds = JSON.createArrayNode();
    List<String> all = new ArrayList<>();
    all.add(stage.from());
    all.addAll(starts);
    all.add(stage.to());
    for (String bound : all) {
      if (bound == null) {
        bounds.addNull();
      } else if (stage.integer()) {
        bounds.add(Long.parseLong(bound));
      } else if (composite) {
        try {
          bounds.add(JSON.readTree(bound));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException("status holds a composite key that is not JSON: " + bound, e);
        }
      } else {
        bounds.add(bound);
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put(PARTS, Integer.toString(starts.size() + 1));
    env.put(PART_BOUNDS, bounds.toString());
    return env;
  }

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
