package dev.stagegate.migration;

import dev.stagegate.analysis.MetricsSource;
import dev.stagegate.analysis.QueryResult;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.MigrationReasons;
import dev.stagegate.api.migration.VerifyCheck;
import dev.stagegate.kube.ResourcePrometheus;
import dev.stagegate.kube.SecretValues;
import dev.stagegate.metrics.MigrationMetrics;
import dev.stagegate.migration.plan.PreflightOutcome;
import dev.stagegate.migration.plan.VerifyOutcome;
import dev.stagegate.migration.plan.WorkRequest;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs preflight and verification against the databases off the reconcile thread, and wakes the
 * resource when a result is ready.
 */
final class DatabaseWork implements AutoCloseable {
  private static final int WORK_THREADS = 2;
  private final Clock clock;
  private final DatabaseSecrets secrets;
  private final ResourcePrometheus prometheus;
  private final Verifier verifier;
  private final BackgroundWork<ResourceID> work = new BackgroundWork<>(2, id -> id.getNamespace().orElse(""));

  DatabaseWork(Clock clock, SecretValues secretValues, ResourcePrometheus prometheus) {
    this.clock = clock;
    this.secrets = new DatabaseSecrets(secretValues);
    this.prometheus = prometheus;
    this.verifier = new Verifier(clock);
  }

  /** The DataMigration is deleted: its finished results are dropped; running work ends unread. */
  void forget(ResourceID id) {
    this.work.forget(id);
  }

  void onDone(Consumer<ResourceID> wake) {
    this.work.onDone(wake);
  }

  Results collect(DataMigration migration, List<WorkRequest> due) {
    ResourceID id = ResourceID.fromResource(migration);
    Set<String> keys = new HashSet<>();
    due.forEach(w -> keys.add(uidPrefix(migration) + w.key()));
    this.work.retain(id, keys);
    PreflightOutcome preflight = null;
    Map<String, VerifyOutcome> verify = new LinkedHashMap<>();
    Map<String, VerifyOutcome> rollback = new LinkedHashMap<>();
    List<MigrationMetrics.Evaluation> evaluations = new ArrayList<>();
    if (due.isEmpty()) {
      return new Results(null, verify, rollback, evaluations);
    } else {
      boolean needsDatabases = due.stream().anyMatch(w -> !(w instanceof WorkRequest.Verify vx && vx.check().getCompare() == null));
      DatabaseSecrets.Lookup lookup = needsDatabases ? this.secrets.lookup(migration) : null;
      String prefix = uidPrefix(migration);

      for (WorkRequest request : due) {
        String key = prefix + request.key();
        if (request instanceof WorkRequest.Preflight) {
          preflight = preflight(migration, id, key, lookup);
        } else if (request instanceof WorkRequest.Verify v) {
          verify(migration, id, key, v, lookup).ifPresent(o -> {
            verify.put(v.check().getName(), o);
            evaluations.add(new MigrationMetrics.Evaluation(v.check().getName(), o.duration()));
          });
        } else if (request instanceof WorkRequest.RollbackVerify r) {
          Optional<VerifyOutcome> outcome = lookup instanceof DatabaseSecrets.Lookup.Found f
            ? this.work
              .poll(
                id,
                key,
                () -> this.verifier.expectEmpty(r.check(), field(migration, r.check()), f.target(), r.keys()),
                e -> VerifyOutcome.error("rollback check failed: " + redact(f, e), null)
              )
            : Optional.of(secretProblem(lookup));
          outcome.ifPresent(o -> {
            rollback.put(r.check().getName(), o);
            evaluations.add(new MigrationMetrics.Evaluation(r.check().getName(), o.duration()));
          });
        }
      }

      return new Results(preflight, verify, rollback, evaluations);
    }
  }

  private PreflightOutcome preflight(DataMigration migration, ResourceID id, String key, DatabaseSecrets.Lookup lookup) {
    if (lookup instanceof DatabaseSecrets.Lookup.Missing m) {
      return new PreflightOutcome.Blocked(MigrationReasons.Cause.SecretNotFound, m.message(), List.of());
    } else if (lookup instanceof DatabaseSecrets.Lookup.Invalid i) {
      return new PreflightOutcome.Invalid(i.errors());
    } else {
      DatabaseSecrets.Lookup.Found f = (DatabaseSecrets.Lookup.Found)lookup;
      return this.work
        .<PreflightOutcome>poll(
          id,
          key,
          () -> new Preflight(migration.getSpec(), f.source(), f.target(), this.clock).run(),
          e -> new PreflightOutcome.Blocked(MigrationReasons.Cause.NoEvidence, "checking before the first write failed: " + redact(f, e), List.of())
        )
        .orElse(null);
    }
  }

  private Optional<VerifyOutcome> verify(DataMigration migration, ResourceID id, String key, WorkRequest.Verify v, DatabaseSecrets.Lookup lookup) {
    VerifyCheck check = v.check();
    String field = field(migration, check);
    Map<String, String> variables = Verifier.variables(migration.getMetadata().getName(), migration.getMetadata().getNamespace(), v.stage());
    if (check.getPrometheus() != null) {
      ResourcePrometheus.Lookup prometheusLookup = this.prometheus.lookup(migration.getSpec().getPrometheus(), migration.getMetadata().getNamespace());
      Optional<MetricsSource> source = metricsSource(prometheusLookup);
      return source.isEmpty()
        ? Optional.of(VerifyOutcome.error(prometheusLookup.problem(), Duration.ZERO))
        : this.work
          .poll(
            id,
            key,
            () -> this.verifier.verify(check, field, null, null, source.get(), variables, v.keys()),
            e -> VerifyOutcome.error("prometheus check failed: " + e.getClass().getSimpleName(), null)
          );
    } else {
      return lookup instanceof DatabaseSecrets.Lookup.Found f
        ? this.work
          .poll(
            id,
            key,
            () -> this.verifier.verify(check, field, f.source(), f.target(), null, variables, v.keys()),
            e -> VerifyOutcome.error("compare failed: " + redact(f, e), null)
          )
        : Optional.of(secretProblem(lookup));
    }
  }

  private static String field(DataMigration migration, VerifyCheck check) {
    return Verifier.field(migration.getSpec().verifyOrEmpty(), check.getName());
  }

  private static VerifyOutcome secretProblem(DatabaseSecrets.Lookup lookup) {
    if (lookup instanceof DatabaseSecrets.Lookup.Missing m) {
      return VerifyOutcome.error(m.message(), Duration.ZERO);
    } else {
      return lookup instanceof DatabaseSecrets.Lookup.Invalid i
        ? VerifyOutcome.error(String.join("; ", i.errors()), Duration.ZERO)
        : VerifyOutcome.error("no database", Duration.ZERO);
    }
  }

  private static Optional<MetricsSource> metricsSource(ResourcePrometheus.Lookup lookup) {
    return lookup.source().map(source -> (query, timeout) -> {
      try {
        return source.query(query, timeout);
      } catch (RuntimeException e) {
        return new QueryResult.Failed(e.getClass().getSimpleName());
      }
    });
  }

  private static String redact(DatabaseSecrets.Lookup.Found f, Throwable e) {
    String message = e.getMessage() == null ? "" : ": " + e.getMessage();
    return e.getClass().getSimpleName() + f.target().redact(f.source().redact(message));
  }

  private static String uidPrefix(DataMigration migration) {
    return migration.getMetadata().getUid() + "/";
  }

  @Override
  public void close() {
    this.work.close();
  }

  record Results(
    PreflightOutcome preflight, Map<String, VerifyOutcome> verify, Map<String, VerifyOutcome> rollback, List<MigrationMetrics.Evaluation> evaluations
  ) {
  }
}
