package dev.stagegate.bench.scale;

import dev.stagegate.api.common.StatusBase;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.bench.scale.FaultSchedule.Fault;
import dev.stagegate.bench.scale.FaultSchedule.Kind;
import dev.stagegate.testing.MemberLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One soak: every Release is moved to its next version as soon as it reached a final phase, every DataMigration
 * is replaced by its next cycle (target emptied) once final and at least 30 s old, and the seeded faults are
 * applied one at a time. A row per minute; the verdict at the end.
 */
final class SoakRun {
  private static final Set<ReleasePhase> RELEASE_FINAL = Set.of(ReleasePhase.Promoted, ReleasePhase.RolledBack, ReleasePhase.Failed);
  private static final Set<MigrationPhase> MIGRATION_FINAL = Set.of(MigrationPhase.Succeeded, MigrationPhase.RolledBack, MigrationPhase.Failed);
  private static final int MIGRATION_CYCLE_SECONDS = 30;

  private final SoakBenchmark options;
  private final ApiServer api;
  private final QueryEndpoint prometheus;
  private final Path kubeconfig;
  private final Map<String, Long> countedGeneration = new HashMap<>();
  private final int[] releaseVersion;
  private final int[] migrationCycle;
  private final long[] migrationStartedSecond;
  private final Set<String> everStuck = new TreeSet<>();
  private final List<Double> heapByMinute = new ArrayList<>();
  private final List<SoakTable.Row> rows = new ArrayList<>();
  private OperatorProcess operator;
  private int restarts;
  private double errorsOfKilled;
  private ReconcileReading lastReading = ReconcileReading.empty();
  private int promoted;
  private int rolledBack;
  private int releasesFailed;
  private int migrated;
  private int undone;
  private int migrationsFailed;
  private int injected;

  SoakRun(SoakBenchmark options, ApiServer api, QueryEndpoint prometheus, Path kubeconfig) {
    this.options = options;
    this.api = api;
    this.prometheus = prometheus;
    this.kubeconfig = kubeconfig;
    this.releaseVersion = new int[options.releases];
    this.migrationCycle = new int[options.migrations];
    this.migrationStartedSecond = new long[options.migrations];
    java.util.Arrays.fill(releaseVersion, 1);
  }

  /** True when nothing was stuck and heap after GC did not trend upward. */
  boolean run() throws Exception {
    String namespace = "soak-" + ProcessHandle.current().pid() % 10_000;
    List<Fault> faults = FaultSchedule.plan(options.seed, options.minutes, options.releases);
    System.out.printf(Locale.ROOT, "soak: %d Releases, %d DataMigrations, %d minutes, seed %d, %d faults planned, stuck after %d min%n",
        options.releases, options.migrations, options.minutes, options.seed, faults.size(), options.stuckAfter);
    StuckWatch watch = new StuckWatch(options.stuckAfter * 60L);
    try (Workload workload = new Workload(api.client(), namespace, options.releases, options.migrations, 1,
        options.stageDuration)) {
      operator = startOperator();
      try {
        workload.prepare();
        for (int i = 0; i < options.migrations; i++) {
          workload.startMigrationCycle(i, 0);
        }
        System.out.println(SoakTable.header());
        long start = System.nanoTime();
        long nextSample = start + 60_000_000_000L;
        int next = 0;
        Fault active = null;
        while (System.nanoTime() - start < options.minutes * 60_000_000_000L) {
          long second = (System.nanoTime() - start) / 1_000_000_000L;
          if (active != null && second >= active.endSecond()) {
            end(active, workload);
            active = null;
          }
          if (active == null && next < faults.size() && second >= faults.get(next).atSecond()) {
            active = faults.get(next++);
            injected++;
            System.out.printf(Locale.ROOT, "  [%4ds] fault: %s%n", second, active.describe());
            begin(active, workload);
            if (active.seconds() == 0) {
              active = null;
            }
          }
          boolean prometheusDown = active != null && active.kind().name().startsWith("PROMETHEUS");
          cycle(workload, watch, second, prometheusDown);
          if (System.nanoTime() >= nextSample) {
            sample(watch, second);
            long every = 60_000_000_000L;
            nextSample = start + ((System.nanoTime() - start) / every + 1) * every;
          }
          OperatorProcess.sleep(3_000);
        }
        if (active != null) {
          end(active, workload);
        }
        sample(watch, (System.nanoTime() - start) / 1_000_000_000L); // the last minute's row
      } finally {
        operator.close();
      }
    }
    return summary(faults);
  }

  private OperatorProcess startOperator() throws IOException {
    return OperatorProcess.start(kubeconfig, prometheus.url(), options.heap, null,
        options.out.resolve("operator-soak-" + restarts + ".log"), false, options.operatorJar);
  }

  private void begin(Fault fault, Workload workload) throws IOException {
    switch (fault.kind()) {
      case PROMETHEUS_500 -> prometheus.answer(QueryEndpoint.Answer.ERROR_500);
      case PROMETHEUS_SLOW -> prometheus.answer(QueryEndpoint.Answer.SLOW);
      case PROMETHEUS_NAN -> prometheus.answer(QueryEndpoint.Answer.NAN);
      case BAD_CANARY -> prometheus.badCanary(Workload.releaseName(fault.target()));
      case LOADER_FAIL -> workload.loader().fault(MemberLoader.Fault.FAIL);
      case OPERATOR_KILL -> {
        reading(); // its errors so far, before they are lost with the JVM
        errorsOfKilled += lastReading.failed();
        lastReading = ReconcileReading.empty();
        operator.kill();
        restarts++;
        operator = startOperator();
      }
    }
  }

  private void end(Fault fault, Workload workload) {
    switch (fault.kind()) {
      case PROMETHEUS_500, PROMETHEUS_SLOW, PROMETHEUS_NAN -> prometheus.answer(QueryEndpoint.Answer.ZERO);
      case BAD_CANARY -> prometheus.badCanary(null);
      case LOADER_FAIL -> workload.loader().fault(MemberLoader.Fault.NONE);
      case OPERATOR_KILL -> { }
    }
  }

  private void cycle(Workload workload, StuckWatch watch, long second, boolean prometheusDown) throws Exception {
    String ns = workload.namespace();
    for (Release r : api.client().resources(Release.class).inNamespace(ns).list().getItems()) {
      String name = r.getMetadata().getName();
      var status = r.getStatus();
      long generation = r.getMetadata().getGeneration();
      boolean observed = status != null && Long.valueOf(generation).equals(status.getObservedGeneration());
      boolean finished = observed && status.getPhase() != null && RELEASE_FINAL.contains(status.getPhase());
      if (finished && !Long.valueOf(generation).equals(countedGeneration.get(name))) {
        countedGeneration.put(name, generation);
        switch (status.getPhase()) {
          case Promoted -> promoted++;
          case RolledBack -> rolledBack++;
          default -> releasesFailed++;
        }
        int i = Integer.parseInt(name.substring(2));
        workload.rollReleaseTo(i, "v" + ++releaseVersion[i]);
      }
      String position = status == null ? "none" : status.getPhase() + "/"
          + (status.getCurrentStage() == null ? "-" : status.getCurrentStage().getIndex()) + "/" + status.getObservedGeneration();
      watch.observe(ns + "/" + name, position, finished || pausedDuringFault(status, prometheusDown), second);
    }
    for (DataMigration m : api.client().resources(DataMigration.class).inNamespace(ns).list().getItems()) {
      String name = m.getMetadata().getName();
      var status = m.getStatus();
      if (m.getMetadata().getDeletionTimestamp() != null) {
        watch.observe(ns + "/" + name, "deleting", false, second); // a deletion that never ends is stuck too
        continue;
      }
      boolean finished = status != null && status.getPhase() != null && MIGRATION_FINAL.contains(status.getPhase());
      int i = Integer.parseInt(name.substring(2, 7));
      if (finished && second - migrationStartedSecond[i] >= MIGRATION_CYCLE_SECONDS) {
        switch (status.getPhase()) {
          case Succeeded -> migrated++;
          case RolledBack -> undone++;
          default -> migrationsFailed++;
        }
        api.client().resource(m).delete();
        migrationStartedSecond[i] = second;
        workload.startMigrationCycle(i, ++migrationCycle[i]);
        continue;
      }
      String position = status == null ? "none" : status.getPhase() + "/" + status.getCurrentStage() + "/" + status.getRowsMigrated();
      watch.observe(ns + "/" + name, position, finished || pausedDuringFault(status, prometheusDown), second);
    }
  }

  /** Held without evidence while the soak keeps Prometheus failing: waiting on purpose, not stuck. */
  private static boolean pausedDuringFault(StatusBase status, boolean prometheusDown) {
    return prometheusDown && status != null && status.getPauseReason() != null;
  }

  private void reading() {
    try {
      lastReading = ReconcileReading.of(operator.scrape());
    } catch (IOException | RuntimeException e) {
      // busy or restarting: keep the last reading
    }
  }

  private void sample(StuckWatch watch, long second) {
    long heap = ProcessProbe.heapAfterGc(operator.pid());
    long rss = ProcessProbe.rss(operator.pid());
    reading();
    Set<String> stuck = watch.stuck(second);
    everStuck.addAll(stuck);
    int minute = (int) (second / 60);
    double heapMb = heap < 0 ? -1 : heap / 1048576.0;
    while (heapByMinute.size() < minute) {
      heapByMinute.add(-1.0); // a minute missed while busy
    }
    heapByMinute.add(heapMb);
    SoakTable.Row row = new SoakTable.Row(minute, heapMb, rss < 0 ? -1 : rss / 1048576.0, promoted, rolledBack,
        releasesFailed, migrated, undone, migrationsFailed, stuck.size(),
        Math.round(errorsOfKilled + lastReading.failed()), injected, restarts, ProcessProbe.loadAverage());
    rows.add(row);
    System.out.println(SoakTable.row(row));
    if (!stuck.isEmpty()) {
      System.out.println("  stuck: " + stuck);
    }
  }

  private boolean summary(List<Fault> faults) throws IOException {
    HeapTrend trend = HeapTrend.of(heapByMinute, options.minutes);
    boolean ok = everStuck.isEmpty() && !trend.upward();
    String table = SoakTable.render(rows);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%nsoak summary (seed %d, %d min, %d Releases, %d DataMigrations)%n",
        options.seed, options.minutes, options.releases, options.migrations));
    sb.append(String.format(Locale.ROOT, "  rollouts: %d promoted, %d rolled back, %d failed%n", promoted, rolledBack, releasesFailed));
    sb.append(String.format(Locale.ROOT, "  migrations: %d succeeded, %d undone, %d failed%n", migrated, undone, migrationsFailed));
    sb.append(String.format(Locale.ROOT, "  faults injected: %d of %d planned; operator restarts: %d%n", injected, faults.size(), restarts));
    sb.append(String.format(Locale.ROOT, "  reconcile errors: %d%n", Math.round(errorsOfKilled + lastReading.failed())));
    sb.append("  stuck (no progress > ").append(options.stuckAfter).append(" min): ")
        .append(everStuck.isEmpty() ? "none" : everStuck).append('\n');
    sb.append("  heap after GC trend: ").append(trend.describe()).append('\n');
    sb.append("  verdict: ").append(ok ? "OK" : "FAILED").append('\n');
    System.out.print(sb);
    Files.createDirectories(options.out);
    Files.writeString(options.out.resolve("soak-" + options.seed + ".md"), table + sb);
    return ok;
  }
}
