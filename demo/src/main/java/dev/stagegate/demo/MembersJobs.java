package dev.stagegate.demo;

import dev.stagegate.sandbox.JobHandler;
import dev.stagegate.sandbox.JobOutcome;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the containers of examples/datamigration.yaml would do, run in-process by the sandbox's FakeJobRunner in
 * place of their pods. The container's name says which: {@code loader} copies the stage's key range
 * [STAGEGATE_KEY_FROM, STAGEGATE_KEY_TO) from SOURCE_URL to TARGET_URL, {@code undo} deletes that range from the
 * target, {@code dump} stands for the backup. Databases come from the env the kubelet resolved from the Secrets.
 *
 * <p>A namespace listed with {@link #writeFixtures} gets the buggy loader image of scenario 4: it writes test
 * fixtures under the stage's keys instead of the source's rows.
 */
final class MembersJobs implements JobHandler {
  /** How a running loader reports progress to the live view. */
  interface Progress {
    void rows(String namespace, String migration, String stage, long done, long total);
  }

  private static final int BATCH = 2_000;

  private final LoaderMetrics metrics;
  private final Progress progress;
  private final Set<String> fixtureNamespaces = ConcurrentHashMap.newKeySet();
  /** Rows written per namespace and stage, by the loader; removed by the undo. */
  private final Map<String, Long> loaded = new ConcurrentHashMap<>();
  private final Map<String, Long> undone = new ConcurrentHashMap<>();

  MembersJobs(LoaderMetrics metrics, Progress progress) {
    this.metrics = metrics;
    this.progress = progress;
  }

  void writeFixtures(String namespace) {
    fixtureNamespaces.add(namespace);
  }

  /** Rows the loader wrote in a namespace, over all its stages (stage null) or one. */
  long loaded(String namespace, String stage) {
    return sum(loaded, namespace, stage);
  }

  long undone(String namespace) {
    return sum(undone, namespace, null);
  }

  private static long sum(Map<String, Long> counts, String namespace, String stage) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().startsWith(namespace + "/") && (stage == null || e.getKey().equals(namespace + "/" + stage)))
        .mapToLong(Map.Entry::getValue).sum();
  }

  @Override
  public JobOutcome run(Job job, Map<String, String> env) throws Exception {
    String container = job.getSpec().getTemplate().getSpec().getContainers().get(0).getName();
    String namespace = job.getMetadata().getNamespace();
    long from = Long.parseLong(env.getOrDefault("STAGEGATE_KEY_FROM", "0"));
    long to = Long.parseLong(env.getOrDefault("STAGEGATE_KEY_TO", "0"));
    String stage = env.getOrDefault("STAGEGATE_STAGE", "?");
    return switch (container) {
      case "loader" -> load(namespace, env, stage, from, to);
      case "undo" -> undo(namespace, env, stage, from, to);
      case "dump" -> backup();
      default -> JobOutcome.failure("the demo has no pod for container " + container);
    };
  }

  private JobOutcome load(String namespace, Map<String, String> env, String stage, long from, long to)
      throws SQLException {
    boolean fixtures = fixtureNamespaces.contains(namespace);
    String migration = env.get("STAGEGATE_MIGRATION");
    var counter = metrics.loaded(namespace, migration, stage);
    long total;
    try (Connection source = connect(env.get("SOURCE_URL"), env.get("SOURCE_PASSWORD"));
        Connection target = connect(env.get("TARGET_URL"), env.get("TARGET_PASSWORD"))) {
      total = countRange(source, from, to);
      source.setAutoCommit(false);
      target.setAutoCommit(false);
      long copied = 0;
      try (PreparedStatement read = source.prepareStatement("SELECT member_id, full_name, email, plan_code, enrolled_on"
              + " FROM members WHERE member_id >= ? AND member_id < ? ORDER BY member_id");
          PreparedStatement write = target.prepareStatement("INSERT INTO members"
              + " (member_id, full_name, email, plan_code, enrolled_on) VALUES (?, ?, ?, ?, ?)")) {
        read.setFetchSize(BATCH);
        read.setLong(1, from);
        read.setLong(2, to);
        progress.rows(namespace, migration, stage, 0, total);
        try (ResultSet rs = read.executeQuery()) {
          while (rs.next()) {
            long key = rs.getLong(1);
            write.setLong(1, key);
            // The bug of scenario 4: the loader's image was built with the test seed data switched on.
            write.setString(2, fixtures ? "Test User " + key : rs.getString(2));
            write.setString(3, fixtures ? "test" + key + "@example.com" : rs.getString(3));
            write.setString(4, fixtures ? "TEST" : rs.getString(4));
            write.setDate(5, fixtures ? java.sql.Date.valueOf("2020-01-01") : rs.getDate(5));
            write.addBatch();
            if (++copied % BATCH == 0) {
              write.executeBatch();
              counter.increment(BATCH);
              progress.rows(namespace, migration, stage, copied, total);
            }
          }
        }
        write.executeBatch();
        counter.increment(copied % BATCH);
      }
      target.commit();
      loaded.merge(namespace + "/" + stage, copied, Long::sum);
      progress.rows(namespace, migration, stage, copied, total);
      return JobOutcome.success("loaded " + copied + " rows");
    }
  }

  private JobOutcome undo(String namespace, Map<String, String> env, String stage, long from, long to)
      throws SQLException {
    try (Connection target = connect(env.get("TARGET_URL"), env.get("TARGET_PASSWORD"));
        PreparedStatement delete = target.prepareStatement(
            "DELETE FROM members WHERE member_id >= ? AND member_id < ?")) {
      delete.setLong(1, from);
      delete.setLong(2, to);
      int deleted = delete.executeUpdate();
      undone.merge(namespace + "/" + stage, (long) deleted, Long::sum);
      return JobOutcome.success("deleted " + deleted + " rows");
    }
  }

  /** Stands for pg_dump: the demo writes no dump files. */
  private static JobOutcome backup() {
    return JobOutcome.success("backup stand-in: the demo has no pg_dump");
  }

  private static long countRange(Connection c, long from, long to) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM members WHERE member_id >= ? AND member_id < ?")) {
      ps.setLong(1, from);
      ps.setLong(2, to);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static Connection connect(String url, String password) throws SQLException {
    if (url == null) {
      throw new SQLException("no database URL in the container's environment");
    }
    Properties props = new Properties();
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("reWriteBatchedInserts", "true");
    return DriverManager.getConnection(url, props);
  }
}
