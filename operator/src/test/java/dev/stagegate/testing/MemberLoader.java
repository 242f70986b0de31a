package dev.stagegate.testing;

import dev.stagegate.sandbox.JobHandler;
import dev.stagegate.sandbox.JobOutcome;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the user's loader, undo and backup containers would do, run by the sandbox's FakeJobRunner in place
 * of a pod. The container's TEST_ROLE says which. The loader copies the stage's key range
 * [STAGEGATE_KEY_FROM, STAGEGATE_KEY_TO) from SOURCE_URL to TARGET_URL (both resolved from the Secrets,
 * as the kubelet would); the undo deletes that range from the target.
 *
 * <p>Fault switch: {@link Fault#FIXTURES} makes the loader read from the UAT database instead (the seed
 * disaster's loader misconfiguration), {@link Fault#FAIL} makes it fail. {@link #hold} stops a Job
 * mid-run until released, so a test can restart the operator while it runs.
 */
public final class MemberLoader implements JobHandler {
  public enum Fault { NONE, FIXTURES, FAIL }

  private final String fixturesUrl;
  private volatile Fault fault = Fault.NONE;
  private final Map<String, Gate> gates = new ConcurrentHashMap<>();
  private final List<String> started = new CopyOnWriteArrayList<>();
  private final Map<String, Map<String, String>> environments = new ConcurrentHashMap<>();

  public MemberLoader(String fixturesUrl) {
    this.fixturesUrl = fixturesUrl;
  }

  public MemberLoader fault(Fault fault) {
    this.fault = fault;
    return this;
  }

  /** A Job of this name waits, once started, until the gate is released. */
  public Gate hold(String jobName) {
    Gate gate = new Gate();
    gates.put(jobName, gate);
    return gate;
  }

  /** Job names in the order their pods started. */
  public List<String> started() {
    return List.copyOf(started);
  }

  /** The environment a Job's container saw. */
  public Map<String, String> environment(String jobName) {
    return environments.get(jobName);
  }

  @Override
  public JobOutcome run(Job job, Map<String, String> env) throws Exception {
    String name = job.getMetadata().getName();
    started.add(name);
    environments.put(name, Map.copyOf(env));
    Gate gate = gates.get(name);
    if (gate != null) {
      gate.running.countDown();
      if (!gate.release.await(5, TimeUnit.MINUTES)) {
        return JobOutcome.failure("held too long");
      }
    }
    long from = Long.parseLong(env.get("STAGEGATE_KEY_FROM"));
    long to = Long.parseLong(env.get("STAGEGATE_KEY_TO"));
    return switch (env.getOrDefault("TEST_ROLE", "")) {
      case "loader" -> load(env, from, to);
      case "undo" -> undo(env, from, to);
      case "backup" -> JobOutcome.success("backup of keys [" + from + ", " + to + ") taken");
      default -> JobOutcome.failure("no TEST_ROLE");
    };
  }

  private JobOutcome load(Map<String, String> env, long from, long to) throws SQLException {
    if (fault == Fault.FAIL) {
      return JobOutcome.failure("loader crashed: simulated fault");
    }
    String sourceUrl = fault == Fault.FIXTURES ? fixturesUrl : env.get("SOURCE_URL");
    long copied = 0;
    try (Connection source = connect(sourceUrl, env.get("SOURCE_USER"), env.get("SOURCE_PASSWORD"));
        Connection target = connect(env.get("TARGET_URL"), env.get("TARGET_USER"), env.get("TARGET_PASSWORD"))) {
      source.setAutoCommit(false);
      target.setAutoCommit(false);
      try (PreparedStatement read = source.prepareStatement("SELECT member_id, full_name, email, plan_code, enrolled_on"
              + " FROM members WHERE member_id >= ? AND member_id < ? ORDER BY member_id");
          PreparedStatement write = target.prepareStatement("INSERT INTO members"
              + " (member_id, full_name, email, plan_code, enrolled_on) VALUES (?, ?, ?, ?, ?)")) {
        read.setFetchSize(10_000);
        read.setLong(1, from);
        read.setLong(2, to);
        try (ResultSet rs = read.executeQuery()) {
          while (rs.next()) {
            write.setLong(1, rs.getLong(1));
            write.setString(2, rs.getString(2));
            write.setString(3, rs.getString(3));
            write.setString(4, rs.getString(4));
            write.setDate(5, rs.getDate(5));
            write.addBatch();
            if (++copied % 5_000 == 0) {
              write.executeBatch();
            }
          }
        }
        write.executeBatch();
      }
      target.commit();
    }
    return JobOutcome.success("loaded " + copied + " rows");
  }

  private JobOutcome undo(Map<String, String> env, long from, long to) throws SQLException {
    try (Connection target = connect(env.get("TARGET_URL"), env.get("TARGET_USER"), env.get("TARGET_PASSWORD"));
        PreparedStatement delete = target.prepareStatement("DELETE FROM members WHERE member_id >= ? AND member_id < ?")) {
      delete.setLong(1, from);
      delete.setLong(2, to);
      return JobOutcome.success("deleted " + delete.executeUpdate() + " rows");
    }
  }

  private static Connection connect(String url, String user, String password) throws SQLException {
    Properties props = new Properties();
    if (user != null) {
      props.setProperty("user", user);
    }
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("reWriteBatchedInserts", "true");
    return DriverManager.getConnection(url, props);
  }

  /** Holds one Job mid-run. */
  public static final class Gate {
    private final CountDownLatch running = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    public boolean awaitRunning(long seconds) throws InterruptedException {
      return running.await(seconds, TimeUnit.SECONDS);
    }

    public void release() {
      release.countDown();
    }
  }
}
