package dev.stagegate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stagegate.datacompare.Key;
import dev.stagegate.sandbox.JobHandler;
import dev.stagegate.sandbox.JobOutcome;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loader and undo for tables keyed by text or by (text, integer), as a user would write them from the
 * DataMigration's contract: the stage's bounds come only from STAGEGATE_KEY_FROM / STAGEGATE_KEY_TO /
 * STAGEGATE_KEY_TO_OPEN (a composite bound is a JSON array) and are bound as parameters, in code-point order on
 * both engines (PostgreSQL {@code COLLATE "C"}, MariaDB the UTF-8 bytes). The source is PostgreSQL, the target
 * MariaDB. Faults for the stage named in {@link #damage}: rows skipped, changed or invented.
 */
public final class TypedKeyLoader implements JobHandler {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A source or target table: its key columns (text first, then an optional integer) and one value column. */
  public record Table(String url, String user, String password, String table, List<String> keys, String value) {}

  private final Table source;
  private final Table target;
  private final Map<String, Map<String, String>> environments = new ConcurrentHashMap<>();
  private final List<String> started = new CopyOnWriteArrayList<>();
  private final Map<String, String> ranges = new ConcurrentHashMap<>();
  private volatile String damagedStage;
  private volatile Set<List<Object>> skip = Set.of();
  private volatile Set<List<Object>> change = Set.of();
  private volatile List<List<Object>> invent = List.of();

  public TypedKeyLoader(Table source, Table target) {
    this.source = source;
    this.target = target;
  }

  /** The loader of {@code stage} leaves out {@code skip}, alters the value of {@code change} and adds {@code invent} rows (key parts, then value). */
  public TypedKeyLoader damage(String stage, Set<List<Object>> skip, Set<List<Object>> change, List<List<Object>> invent) {
    this.damagedStage = stage;
    this.skip = skip;
    this.change = change;
    this.invent = invent;
    return this;
  }

  public Map<String, String> environment(String job) {
    return environments.get(job);
  }

  /** Pods of parallel loads ({@code job#index}) and the sub-range each loaded. */
  public Map<String, String> partRanges() {
    return Map.copyOf(ranges);
  }

  public List<String> started() {
    return List.copyOf(started);
  }

  @Override
  public JobOutcome run(Job job, Map<String, String> env) throws Exception {
    String index = env.get("JOB_COMPLETION_INDEX");
    String name = job.getMetadata().getName() + (index == null ? "" : "#" + index);
    started.add(name);
    environments.put(name, Map.copyOf(env));
    List<Object> from;
    List<Object> to;
    if (index != null) {
      // A pod of a parallel load: its own sub-range [bounds[i], bounds[i + 1]).
      JsonNode bounds = JSON.readTree(env.get("STAGEGATE_PART_BOUNDS"));
      int i = Integer.parseInt(index);
      from = bound(bounds.get(i));
      to = bounds.get(i + 1).isNull() ? null : bound(bounds.get(i + 1));
      ranges.put(name, from + ".." + to);
    } else {
      from = bound(env.get("STAGEGATE_KEY_FROM"));
      to = Boolean.parseBoolean(env.get("STAGEGATE_KEY_TO_OPEN")) ? null : bound(env.get("STAGEGATE_KEY_TO"));
    }
    return switch (env.getOrDefault("TEST_ROLE", "")) {
      case "loader" -> load(env.get("STAGEGATE_STAGE"), from, to);
      case "undo" -> undo(from, to);
      default -> JobOutcome.success("nothing to do");
    };
  }

  private List<Object> bound(String text) throws Exception {
    return source.keys().size() == 1 ? bound(JSON.getNodeFactory().textNode(text)) : bound(JSON.readTree(text));
  }

  /** A bound as JSON: a string for a text key, an array (text, integer) for a composite one. */
  private List<Object> bound(JsonNode node) {
    List<Object> parts = new ArrayList<>();
    if (source.keys().size() == 1) {
      parts.add(node.asText());
      return parts;
    }
    parts.add(node.get(0).asText());
    parts.add(node.get(1).asLong());
    return parts;
  }

  /** {@code (k1, k2) >= (?, ?)} with k1 in code-point order on this engine. */
  private static String compared(Table t, boolean postgres, String op) {
    List<String> exprs = new ArrayList<>();
    List<String> marks = new ArrayList<>();
    for (int i = 0; i < t.keys().size(); i++) {
      String k = t.keys().get(i);
      boolean text = i == 0;
      exprs.add(text ? (postgres ? k + " COLLATE \"C\"" : "CAST(" + k + " AS BINARY)") : k);
      marks.add(text && !postgres ? "CAST(? AS BINARY)" : "?");
    }
    return t.keys().size() == 1 ? exprs.get(0) + " " + op + " " + marks.get(0)
        : "(" + String.join(", ", exprs) + ") " + op + " (" + String.join(", ", marks) + ")";
  }

  private static String where(Table t, boolean postgres, List<Object> to) {
    return " WHERE " + compared(t, postgres, ">=") + (to == null ? "" : " AND " + compared(t, postgres, "<"));
  }

  private static int bind(PreparedStatement ps, int first, List<Object> key) throws SQLException {
    int i = first;
    for (Object part : key) {
      ps.setObject(i++, part);
    }
    return i;
  }

  private JobOutcome load(String stage, List<Object> from, List<Object> to) throws SQLException {
    boolean damaged = stage != null && stage.equals(damagedStage);
    String columns = String.join(", ", source.keys()) + ", " + source.value();
    int copied = 0;
    try (Connection src = DriverManager.getConnection(source.url(), source.user(), source.password());
        Connection tgt = DriverManager.getConnection(target.url(), target.user(), target.password());
        PreparedStatement read = src.prepareStatement("SELECT " + columns + " FROM " + source.table() + where(source, true, to));
        PreparedStatement write = tgt.prepareStatement("INSERT INTO " + target.table() + " (" + String.join(", ", target.keys())
            + ", " + target.value() + ") VALUES (" + "?, ".repeat(target.keys().size()) + "?)")) {
      bind(read, bind(read, 1, from), to == null ? List.of() : to);
      try (ResultSet rs = read.executeQuery()) {
        while (rs.next()) {
          List<Object> key = new ArrayList<>();
          for (int i = 0; i < source.keys().size(); i++) {
            key.add(i == 0 ? rs.getString(i + 1) : (Object) rs.getLong(i + 1));
          }
          if (damaged && skip.contains(key)) {
            continue;
          }
          String value = rs.getString(source.keys().size() + 1);
          bind(write, 1, key);
          write.setString(key.size() + 1, damaged && change.contains(key) ? value + " (changed)" : value);
          write.addBatch();
          copied++;
        }
      }
      if (damaged) {
        for (List<Object> row : invent) {
          if (!inside(row.subList(0, row.size() - 1), from, to)) {
            continue; // another pod's sub-range
          }
          bind(write, 1, row.subList(0, row.size() - 1));
          write.setObject(row.size(), row.get(row.size() - 1));
          write.addBatch();
        }
      }
      write.executeBatch();
    }
    return JobOutcome.success("copied " + copied + " rows");
  }

  private static boolean inside(List<Object> key, List<Object> from, List<Object> to) {
    Key k = Key.of(key.toArray());
    return k.compareTo(Key.of(from.toArray())) >= 0 && (to == null || k.compareTo(Key.of(to.toArray())) < 0);
  }

  private JobOutcome undo(List<Object> from, List<Object> to) throws SQLException {
    try (Connection tgt = DriverManager.getConnection(target.url(), target.user(), target.password());
        PreparedStatement delete = tgt.prepareStatement("DELETE FROM " + target.table() + where(target, false, to))) {
      bind(delete, bind(delete, 1, from), to == null ? List.of() : to);
      return JobOutcome.success("deleted " + delete.executeUpdate() + " rows");
    }
  }
}
