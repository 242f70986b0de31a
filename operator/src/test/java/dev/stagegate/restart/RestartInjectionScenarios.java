package dev.stagegate.restart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.OperatorSettings;
import dev.stagegate.sandbox.JobHandler;
import dev.stagegate.sandbox.JobOutcome;
import dev.stagegate.analysis.QueryResult;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DatabaseSide;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.release.RevisionHash;
import dev.stagegate.testing.CrashSwitch;
import dev.stagegate.testing.DataMigrations;
import dev.stagegate.testing.MemberLoader;
import dev.stagegate.testing.MemberTables;
import dev.stagegate.testing.MigrationHarness;
import dev.stagegate.testing.OperatorHarness;
import dev.stagegate.testing.PostgresServer;
import dev.stagegate.testing.Releases;
import dev.stagegate.testing.ScriptedMetrics;
import dev.stagegate.testing.StatusDigest;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Restart injection (issue 16, part 2). A first, uninterrupted run of a scenario records every distinct
 * transition the operator reaches: each status it commits, at three points of the turn (before the commit,
 * after the commit and before acting, after acting). Then, for each transition, the scenario runs again in a
 * fresh namespace with the operator killed there (no shutdown code runs: see {@link CrashSwitch}) and a fresh
 * instance started against the same API server. Each interrupted run must end with the same status as the
 * uninterrupted one (times, uids and counters aside), with no Deployment or Job created twice, no Job's pod
 * run twice, and, for the migration, the target database as the uninterrupted run left it.
 *
 * <p>Each tier picks how many transitions it replays: all of them on the mock API server, an evenly spread
 * sample on the real one.
 */
abstract class RestartInjectionScenarios {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final AtomicInteger RUN = new AtomicInteger();

  protected abstract KubernetesClient client();

  /** The operator's settings on this tier (server-side apply on the real API server). */
  protected abstract OperatorSettings settings();

  /** How many of the recorded transitions this tier replays with a crash (spread evenly); 0 = all. */
  protected abstract int samplePerScenario();

  /** How many interrupted runs go at once (each in its own namespace). */
  protected abstract int parallelRuns();

  // ----- the Release scenario: v1 deployed, v2 promoted through three stages, v3 fails its check and is rolled back

  private static final String RELEASE = "checkout";

  @Test
  @Tag("restart")
  @DisplayName("given a Release deployed, promoted and rolled back, when the operator dies at any transition and a new one starts, then the end is as without the crash and nothing is deployed twice")
  void releaseSurvivesACrashAtEveryTransition() throws Exception {
    replay("Release", this::runRelease);
  }

  private Outcome runRelease(CrashPlan crash) {
    String namespace = namespace("rel");
    ScriptedMetrics metrics = new ScriptedMetrics().otherwise(0.001)
        .revision(RevisionHash.of(checkout(namespace).image("v3").build()), 0.05);
    OperatorHarness harness = new OperatorHarness(client(), namespace, scoped(namespace), metrics);
    Creations deployments = new Creations();
    try (Watch watch = client().apps().deployments().inNamespace(namespace).watch(deployments.watcher())) {
      CrashSwitch hook = crash.hook(() -> restart(harness));
      startSerially(() -> harness.crashPoints(hook).start());
      harness.apply(checkout(namespace).build());
      harness.awaitStatus(RELEASE, "v1 promoted", r -> r.getStatus().getPhase() == ReleasePhase.Promoted, WAIT);
      String v2 = RevisionHash.of(harness.changeImage(RELEASE, "example.com/checkout:v2"));
      harness.awaitStatus(RELEASE, "v2 promoted", r -> r.getStatus().getPhase() == ReleasePhase.Promoted
          && v2.equals(r.getStatus().getStableRevision()), WAIT);
      harness.changeImage(RELEASE, "example.com/checkout:v3");
      harness.awaitStatus(RELEASE, "v3 rolled back", r -> r.getStatus().getPhase() == ReleasePhase.RolledBack, WAIT);
      String end = settled(() -> StatusDigest.of(harness.get(RELEASE).getStatus()));
      return new Outcome(hook, end, deployments.counts(), Map.of(), "");
    } finally {
      harness.close();
    }
  }

  private static Releases checkout(String namespace) {
    return Releases.named(RELEASE, namespace).replicas(4)
        .stage("canary-10", 10, "300ms").stage("canary-50", 50, "300ms").stage("full", 100, "0s")
        .errorRateCheck("500ms", 1, 0.01);
  }

  // ----- the DataMigration scenario: guards, pilot loaded and verified, the full loader fails after writing, both undone

  private static final String MIGRATION = "members-2025";
  private static final String SOURCE = "restart_prod";
  private static final String FIXTURES = "restart_uat";
  private static final long ROWS = 2_000;

  @Test
  @Tag("restart")
  @Tag("postgres")
  @DisplayName("given a DataMigration that loads and verifies a pilot, then its full loader fails after writing and both stages are undone, when the operator dies at any transition, then it ends the same, no Job runs twice and the target is as before")
  void migrationSurvivesACrashAtEveryTransition() throws Exception {
    MemberTables.seedOnce(SOURCE, ROWS, false);
    MemberTables.seedOnce(FIXTURES, ROWS, true);
    replay("DataMigration", this::runMigration);
  }

  private Outcome runMigration(CrashPlan crash) {
    String namespace = namespace("mig");
    String target = namespace.replace('-', '_');
    PostgresServer.createDatabase(target);
    String before;
    try (Connection c = PostgresServer.connect(target)) {
      MemberTables.seedExistingAccounts(c, 50);
      before = MemberTables.checksum(c);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    MemberLoader loader = new MemberLoader(PostgresServer.jdbcUrl(FIXTURES));
    MigrationHarness harness = new MigrationHarness(client(), namespace, settings(),
        (url, secret) -> (promql, timeout) -> new QueryResult.Value(0), fullLoadFails(loader));
    Creations jobs = new Creations();
    try (Watch watch = client().batch().v1().jobs().inNamespace(namespace).watch(jobs.watcher())) {
      CrashSwitch hook = crash.hook(() -> restart(harness));
      startSerially(() -> harness.crashPoints(hook).start());
      harness.databaseSecret("legacy-members-db", PostgresServer.jdbcUrl(SOURCE), "postgres", "pw");
      harness.databaseSecret("portal-db", PostgresServer.jdbcUrl(target), "postgres", "pw");
      harness.apply(migration(namespace));
      harness.awaitStatus(MIGRATION, "rolled back", m -> m.getStatus().getPhase() == MigrationPhase.RolledBack, WAIT);
      String end = settled(() -> StatusDigest.of(harness.get(MIGRATION).getStatus()));
      String checksum;
      try (Connection c = PostgresServer.connect(target)) {
        checksum = MemberTables.checksum(c);
      }
      assertThat(checksum).as("target after the rollback").isEqualTo(before);
      return new Outcome(hook, end, jobs.counts(), new TreeMap<>(harness.jobRuns()), checksum.equals(before) ? "as before" : checksum);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      harness.close();
    }
  }

  private static DataMigration migration(String namespace) {
    List<EnvVar> source = List.of(DataMigrations.fromSecret("SOURCE_URL", "legacy-members-db", "jdbcUrl"),
        DataMigrations.fromSecret("SOURCE_USER", "legacy-members-db", "username"),
        DataMigrations.fromSecret("SOURCE_PASSWORD", "legacy-members-db", "password"));
    List<EnvVar> target = List.of(DataMigrations.fromSecret("TARGET_URL", "portal-db", "jdbcUrl"),
        DataMigrations.fromSecret("TARGET_USER", "portal-db", "username"),
        DataMigrations.fromSecret("TARGET_PASSWORD", "portal-db", "password"));
    return DataMigrations.named(MIGRATION, namespace)
        .guardEquals("source-is-production", DatabaseSide.source, "select current_database()", SOURCE)
        .guardMax("no-test-fixtures", DatabaseSide.source,
            "select count(*) from members where email like '%@example.com'", 0)
        .worker(DataMigrations.job("loader", Stream.concat(source.stream(), target.stream()).toList()))
        .undo(DataMigrations.job("undo", target))
        .compare("members-match", 0)
        .prometheusCheck("loader-errors",
            "sum(increase(loader_records_failed_total{migration=\"{{name}}\",stage=\"{{stage}}\"}[5m]))", 0, 1)
        .stage("pilot", 10).stage("full", 100)
        .build();
  }

  /**
   * The full stage's loader writes its rows and then its pod fails: the rollback must undo a partial load too.
   * (A failing check would race the compare of the same stage, so which of them ends the stage would vary.)
   */
  private static JobHandler fullLoadFails(MemberLoader loader) {
    return (job, env) -> {
      JobOutcome outcome = loader.run(job, env);
      return job.getMetadata().getName().equals(MIGRATION + "-full-load")
          ? JobOutcome.failure("loader crashed after writing: simulated fault") : outcome;
    };
  }

  // ----- the harness

  private void replay(String scenario, Function<CrashPlan, Outcome> run) throws Exception {
    long t0 = System.nanoTime();
    Outcome clean = run.apply(CrashPlan.NONE);
    List<String> transitions = clean.hook().reached();
    List<String> chosen = sample(transitions, samplePerScenario());
    System.out.printf("%s: uninterrupted run in %d ms reached %d transitions; replaying %d with a crash%n", scenario,
        (System.nanoTime() - t0) / 1_000_000, transitions.size(), chosen.size());
    transitions.forEach(t -> System.out.println("  " + abbreviated(t)));
    assertThat(clean.creations().values()).as("uninterrupted run creates each object once").allMatch(n -> n == 1);

    ExecutorService pool = Executors.newFixedThreadPool(parallelRuns());
    try {
      List<Future<Outcome>> runs = new ArrayList<>();
      for (String transition : chosen) {
        runs.add(pool.submit(() -> run.apply(new CrashPlan(transition))));
      }
      int crashed = 0;
      List<String> failures = new ArrayList<>();
      for (int i = 0; i < runs.size(); i++) {
        String where = abbreviated(chosen.get(i));
        try {
          Outcome outcome = runs.get(i).get();
          if (!outcome.hook().crashed()) {
            System.out.println("  not reached again: " + where);
            continue;
          }
          crashed++;
          List<String> wrong = new ArrayList<>();
          if (!outcome.end().equals(clean.end())) {
            wrong.add("end status differs:\n    want " + clean.end() + "\n    got  " + outcome.end());
          }
          if (!outcome.creations().equals(clean.creations())) {
            wrong.add("objects created " + outcome.creations() + ", uninterrupted " + clean.creations());
          }
          if (!outcome.jobRuns().equals(clean.jobRuns())) {
            wrong.add("Job pods run " + outcome.jobRuns() + ", uninterrupted " + clean.jobRuns());
          }
          if (!outcome.target().equals(clean.target())) {
            wrong.add("target " + outcome.target() + ", uninterrupted " + clean.target());
          }
          if (!wrong.isEmpty()) {
            failures.add("crash at " + where + ": " + String.join("; ", wrong));
          }
        } catch (Exception e) {
          failures.add("crash at " + where + ": " + e.getCause());
        }
      }
      System.out.printf("%s: %d interrupted runs crashed and restarted, %d failed, %d s in all%n", scenario, crashed,
          failures.size(), (System.nanoTime() - t0) / 1_000_000_000);
      assertThat(failures).as(scenario + " runs that differ from the uninterrupted one").isEmpty();
      assertThat(crashed).as("interrupted runs that reached their crash point").isGreaterThanOrEqualTo(chosen.size() * 9 / 10);
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<String> sample(List<String> all, int n) {
    if (n <= 0 || n >= all.size()) {
      return all;
    }
    List<String> picked = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      picked.add(all.get((int) ((long) i * all.size() / n)));
    }
    return picked;
  }

  /** The killed instance is closed (its threads stopped; it commits and acts no more) and a fresh one started. */
  private static void restart(OperatorHarness harness) {
    harness.stopOperator();
    harness.crashPoints(dev.stagegate.kube.CrashPoints.NONE).startOperator();
  }

  private static void restart(MigrationHarness harness) {
    harness.stopOperator();
    harness.crashPoints(dev.stagegate.kube.CrashPoints.NONE).startOperator();
  }

  /** The status once it has not changed for a second (weights and replicas settle after the phase). */
  private static String settled(java.util.function.Supplier<String> status) {
    String last = status.get();
    long stableSince = System.nanoTime();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() - stableSince < Duration.ofSeconds(1).toNanos() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      String now = status.get();
      if (!now.equals(last)) {
        last = now;
        stableSince = System.nanoTime();
      }
    }
    return last;
  }

  /** Harnesses install the CRDs as they start: one at a time, or their updates clash (409). */
  private static synchronized void startSerially(Runnable start) {
    start.run();
  }

  private OperatorSettings scoped(String namespace) {
    OperatorSettings s = settings();
    return new OperatorSettings(s.prometheusUrl(), s.prometheusAuthDir(), Set.of(namespace), s.port(),
        s.leaderElection(), s.leaseName(), s.leaseNamespace(), s.leaseDuration(), s.useServerSideApply(), s.identity());
  }

  private static String namespace(String kind) {
    return "crash-" + kind + "-" + ProcessHandle.current().pid() % 10_000 + "-" + RUN.incrementAndGet();
  }

  /** The point, resource and status without its conditions (which repeat the phase), shortened. */
  private static String abbreviated(String transition) {
    String shown = transition.replaceFirst("\\{\"conditions\":\\[[^\\]]*\\],?", "{");
    return shown.length() > 240 ? shown.substring(0, 240) + "…" : shown;
  }

  /** Where a run crashes: nowhere (recording) or at one recorded transition. */
  record CrashPlan(String transition) {
    static final CrashPlan NONE = new CrashPlan(null);

    CrashSwitch hook(Runnable restart) {
      return transition == null ? CrashSwitch.recording(StatusDigest::of)
          : CrashSwitch.armed(transition, StatusDigest::of, restart);
    }
  }

  record Outcome(CrashSwitch hook, String end, Map<String, Integer> creations, Map<String, Integer> jobRuns,
      String target) {
  }

  /** Objects created per name, counted by distinct uid from a watch on the API server. */
  static final class Creations {
    private final Map<String, Set<String>> uids = new ConcurrentHashMap<>();

    <T extends HasMetadata> Watcher<T> watcher() {
      return new Watcher<>() {
        @Override
        public void eventReceived(Action action, T object) {
          uids.computeIfAbsent(object.getMetadata().getName(), n -> ConcurrentHashMap.newKeySet())
              .add(object.getMetadata().getUid());
        }

        @Override
        public void onClose(WatcherException cause) {
        }
      };
    }

    Map<String, Integer> counts() {
      Map<String, Integer> counts = new TreeMap<>();
      uids.forEach((name, set) -> counts.put(name, set.size()));
      return counts;
    }
  }
}
