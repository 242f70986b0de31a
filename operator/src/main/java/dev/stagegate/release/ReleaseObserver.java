package dev.stagegate.release;

import dev.stagegate.analysis.CheckEvaluator;
import dev.stagegate.analysis.CheckOutcome;
import dev.stagegate.analysis.CheckQuery;
import dev.stagegate.analysis.MetricsSource;
import dev.stagegate.analysis.QueryContext;
import dev.stagegate.analysis.SequentialBudget;
import dev.stagegate.api.common.Durations;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.CheckStatus;
import dev.stagegate.api.release.PrometheusQuery;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleaseSpec;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.common.ByName;
import dev.stagegate.kube.ActionAnnotation;
import dev.stagegate.kube.ResourcePrometheus;
import dev.stagegate.link.LinkView;
import dev.stagegate.release.plan.DeploymentState;
import dev.stagegate.release.plan.ReleaseObservation;
import dev.stagegate.templates.TemplatedRelease;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Observes a Release for the planner: its Deployments by revision, the outcomes of the checks the
 * planner says are due, and its HTTPRoute when it routes traffic.
 */
final class ReleaseObserver {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseObserver.class);
  private final ResourcePrometheus prometheus;
  private final ReleaseRoute route;

  ReleaseObserver(ResourcePrometheus prometheus, ReleaseRoute route) {
    this.prometheus = prometheus;
    this.route = route;
  }

  Seen observe(Release release, Collection<Deployment> owned, List<Check> due, String refusal) {
    Map<String, Deployment> byRevision = new HashMap<>();

    for (Deployment d : owned) {
      ReleaseWorkload.revisionOf(d).ifPresent(rev -> byRevision.put(rev, d));
    }

    Map<String, DeploymentState> deployments = new HashMap<>();
    byRevision.forEach((rev, d) -> deployments.put(rev, ReleaseWorkload.observe(d)));
    String template = release.getSpec() != null && release.getSpec().getTemplate() != null ? RevisionHash.of(release) : "";
    ReleaseObservation observation = new ReleaseObservation(
      generation(release), template, deployments, ActionAnnotation.of(release), evaluate(release, due), refusal,
      route.observe(release)
    );
    return new Seen(observation, byRevision);
  }

  static long generation(Release release) {
    return release.getMetadata().getGeneration() == null ? 0L : release.getMetadata().getGeneration();
  }

  private Map<String, CheckOutcome> evaluate(Release release, List<Check> due) {
    Map<String, CheckOutcome> outcomes = new LinkedHashMap<>();
    if (due.isEmpty()) {
      return outcomes;
    } else {
      ReleaseStatus status = release.getStatus();
      ResourcePrometheus.Lookup lookup = this.prometheus.lookup(release.getSpec().getPrometheus(), release.getMetadata().getNamespace());
      Optional<MetricsSource> source = lookup.source();
      if (source.isEmpty()) {
        String missing = lookup.problem();
        due.forEach(c -> outcomes.put(c.getName(), CheckOutcome.error(missing)));
        return outcomes;
      } else {
        QueryContext context = new QueryContext(
          release.getMetadata().getName(), release.getMetadata().getNamespace(), status.getCanaryRevision(), status.getStableRevision()
        );
        CheckEvaluator evaluator = new CheckEvaluator(source.get());

        for (Check check : due) {
          if (check.unresolvedTemplate()) {
            // A check added to a running canary whose template is not there yet: no evidence, never a pass.
            outcomes.put(check.getName(), CheckOutcome.error("waiting for " + check.getTemplateRef().describe()
                + ": not found"));
            continue;
          }
          CheckStatus previous = ByName.find(status.getChecks(), CheckStatus::getName, check.getName());
          CheckOutcome outcome = evaluator.evaluate(query(release.getSpec(), check), context, previous == null ? null : previous.getSequential());
          LOG.debug("check {}: {} {} ({})", check.getName(), outcome.result(), outcome.value(), outcome.message());
          outcomes.put(check.getName(), outcome);
        }

        return outcomes;
      }
    }
  }

  /** A sequential check is judged with its share of the Release's false-rollback budget ({@link SequentialBudget}). */
  static CheckQuery query(ReleaseSpec spec, Check check) {
    PrometheusQuery prometheus = check.getPrometheus();
    return new CheckQuery(
      prometheus == null ? null : prometheus.getQuery(),
      prometheus == null ? null : Durations.parseOr(prometheus.getTimeout(), null),
      check.getMin(),
      check.getMax(),
      check.getCompare() == null ? null : CheckEvaluator.comparisonFor(check.getCompare()),
      SequentialBudget.effective(spec, check),
      SequentialBudget.effectiveLatency(spec, check)
    );
  }

  /** @param templated the Release with its template checks resolved, or null when observed without it */
  record Seen(ReleaseObservation observation, Map<String, Deployment> deployments, TemplatedRelease templated) {
    Seen(ReleaseObservation observation, Map<String, Deployment> deployments) {
      this(observation, deployments, null);
    }

    Seen withTemplates(TemplatedRelease resolved) {
      return new Seen(observation.withTemplates(resolved.fresh()), deployments, resolved);
    }

    Seen withLinks(List<LinkView> links) {
      return new Seen(observation.withLinks(links), deployments, templated);
    }

    /** The Release as this turn used it: metrics then show template checks' bounds and origin. */
    Release view(Release release) {
      return templated == null ? release : templated.release();
    }
  }
}
