package dev.stagegate.metrics;

import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.api.migration.VerifyStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-DataMigration gauges (`stagegate_migration_phase`, `_stage`, `_rows_loaded`, `_rows_to_migrate`,
 * `_rows{side}`), per check
 * `stagegate_verify_mismatches{check,kind}` and the `stagegate_verify_duration_seconds` timer. Tags are
 * namespace, name, check and kind only: nothing from a Secret can reach a label.
 */
public final class MigrationMetrics {
  private static final List<String> KINDS = List.of("missing", "extra", "changed");

  private static final Set<String> METERS = Set.of("stagegate.migration.phase", "stagegate.migration.stage",
      "stagegate.migration.rows", "stagegate.migration.rows.loaded", "stagegate.migration.rows.to.migrate",
      "stagegate.verify.mismatches", "stagegate.verify.duration", "stagegate.verify.last.duration");

  private final MeterRegistry registry;
  private final Map<String, State> states = new ConcurrentHashMap<>();

  public MigrationMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** One evaluation that finished this turn. */
  public record Evaluation(String check, Duration duration) {}

  public void record(DataMigration migration, DataMigrationStatus status, List<Evaluation> evaluations) {
    String ns = migration.getMetadata().getNamespace();
    String name = migration.getMetadata().getName();
    Tags tags = Tags.of("namespace", ns, "name", name);
    State state = states.computeIfAbsent(ns + "/" + name, k -> register(tags));
    state.phase = status.getPhase();
    state.stage = stageIndex(status);
    state.rowsLoaded = status.getRowsMigrated() == null ? Double.NaN : status.getRowsMigrated();
    state.rowsToMigrate = status.getRowsTotal() == null ? Double.NaN : status.getRowsTotal();
    List<VerifyStatus> latest = status.getRollback() != null && !status.getRollback().getChecks().isEmpty()
        ? status.getRollback().getChecks() : status.getVerify();
    double source = Double.NaN;
    double target = Double.NaN;
    for (VerifyStatus vs : latest) {
      if (vs.getSourceRows() != null && vs.getMissing() != null) {
        source = Double.isNaN(source) ? vs.getSourceRows() : source;
        target = Double.isNaN(target) ? vs.getTargetRows() : target;
      }
      if (vs.getMissing() != null) {
        CheckGauges g = state.checks.computeIfAbsent(vs.getName(), c -> registerCheck(tags.and("check", c)));
        g.values.put("missing", (double) vs.getMissing());
        g.values.put("extra", (double) vs.getExtra());
        g.values.put("changed", (double) vs.getChanged());
      }
    }
    state.sourceRows = source;
    state.targetRows = target;
    if (migration.getSpec() != null) {
      // At zero from the start, so increase() over _count and _sum sees a check's first evaluation too.
      migration.getSpec().verifyOrEmpty().forEach(check -> verifyTimer(tags, check.getName()));
    }
    for (Evaluation e : evaluations) {
      if (e.duration() != null) {
        verifyTimer(tags, e.check()).record(e.duration());
        state.lastDurations.computeIfAbsent(e.check(), c -> lastDuration(tags.and("check", c)))
            .seconds = e.duration().toNanos() / 1e9;
      }
    }
  }

  /**
   * A check runs once or twice per stage, often within one scrape of its creation: rate() over the timer
   * can miss it, so the last duration is kept as a gauge too.
   */
  private LastDuration lastDuration(Tags tags) {
    LastDuration last = new LastDuration();
    Gauge.builder("stagegate.verify.last.duration", last, l -> l.seconds).baseUnit("seconds")
        .description("Wall time of the check's last evaluation").tags(tags).register(registry);
    return last;
  }

  private Timer verifyTimer(Tags tags, String check) {
    return Timer.builder("stagegate.verify.duration").description("Wall time of verify check evaluations")
        .tags(tags.and("check", check)).register(registry);
  }

  /** The DataMigration was deleted: its series go, so dashboards and alerts stop listing it. */
  public void forget(String namespace, String name) {
    states.remove(namespace + "/" + name);
    ResourceMeters.remove(registry, METERS, namespace, name);
  }

  private static int stageIndex(DataMigrationStatus status) {
    if (status.getCurrentStage() == null || status.getStages() == null) {
      return -1;
    }
    for (int i = 0; i < status.getStages().size(); i++) {
      StageProgress s = status.getStages().get(i);
      if (s.getName().equals(status.getCurrentStage())) {
        return i;
      }
    }
    return -1;
  }

  private State register(Tags tags) {
    State state = new State();
    for (MigrationPhase phase : MigrationPhase.values()) {
      Gauge.builder("stagegate.migration.phase", state, s -> s.phase == phase ? 1 : 0)
          .description("1 for the DataMigration's current phase").tags(tags.and("phase", phase.name()))
          .register(registry);
    }
    Gauge.builder("stagegate.migration.stage", state, s -> s.stage)
        .description("Index of the current stage, -1 when none").tags(tags).register(registry);
    Gauge.builder("stagegate.migration.rows.loaded", state, s -> s.rowsLoaded)
        .description("Source rows in the stages loaded so far").tags(tags).register(registry);
    Gauge.builder("stagegate.migration.rows.to.migrate", state, s -> s.rowsToMigrate)
        .description("Source rows the migration covers, fixed with its stage boundaries").tags(tags).register(registry);
    Gauge.builder("stagegate.migration.rows", state, s -> s.sourceRows)
        .description("Rows over the keys verified last, per side").tags(tags.and("side", "source")).register(registry);
    Gauge.builder("stagegate.migration.rows", state, s -> s.targetRows)
        .description("Rows over the keys verified last, per side").tags(tags.and("side", "target")).register(registry);
    return state;
  }

  private CheckGauges registerCheck(Tags tags) {
    CheckGauges g = new CheckGauges();
    for (String kind : KINDS) {
      g.values.put(kind, Double.NaN);
      Gauge.builder("stagegate.verify.mismatches", g, x -> x.values.getOrDefault(kind, Double.NaN))
          .description("Rows found missing, extra or changed by the check's last comparison")
          .tags(tags.and("kind", kind)).register(registry);
    }
    return g;
  }

  private static final class State {
    volatile MigrationPhase phase;
    volatile int stage = -1;
    volatile double rowsLoaded = Double.NaN;
    volatile double rowsToMigrate = Double.NaN;
    volatile double sourceRows = Double.NaN;
    volatile double targetRows = Double.NaN;
    final Map<String, CheckGauges> checks = new ConcurrentHashMap<>();
    final Map<String, LastDuration> lastDurations = new ConcurrentHashMap<>();
  }

  private static final class CheckGauges {
    final Map<String, Double> values = new ConcurrentHashMap<>();
  }

  private static final class LastDuration {
    volatile double seconds = Double.NaN;
  }
}
