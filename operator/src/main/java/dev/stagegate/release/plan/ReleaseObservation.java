package dev.stagegate.release.plan;

import dev.stagegate.analysis.CheckOutcome;
import dev.stagegate.link.LinkView;
import dev.stagegate.routing.TrafficRouter;
import dev.stagegate.templates.FreshChecks;
import java.util.List;
import java.util.Map;

/**
 * What the reconciler observed before asking the planner.
 *
 * @param templateRevision hash of spec.template
 * @param deployments the Release's Deployments, by revision
 * @param action the raw `stagegate.dev/action` annotation, or null
 * @param outcomes results of the checks the planner said were due, by check name
 * @param refusal why the API server refused the last workload change permanently, or null
 * @param route the HTTPRoute as observed (weights, header rule, the gateway's verdict), or null without trafficRouting
 * @param links the linked DataMigrations (spec.gates either way), as observed
 * @param templates the template checks as their templates say today (a new canary records these)
 */
public record ReleaseObservation(long generation, String templateRevision, Map<String, DeploymentState> deployments,
    String action, Map<String, CheckOutcome> outcomes, String refusal, TrafficRouter.Observation route,
    List<LinkView> links, FreshChecks templates) {

  public ReleaseObservation(long generation, String templateRevision, Map<String, DeploymentState> deployments,
      String action, Map<String, CheckOutcome> outcomes, String refusal, TrafficRouter.Observation route,
      List<LinkView> links) {
    this(generation, templateRevision, deployments, action, outcomes, refusal, route, links, FreshChecks.NONE);
  }

  public ReleaseObservation(long generation, String templateRevision, Map<String, DeploymentState> deployments,
      String action, Map<String, CheckOutcome> outcomes, String refusal, TrafficRouter.Observation route,
      FreshChecks templates) {
    this(generation, templateRevision, deployments, action, outcomes, refusal, route, List.of(), templates);
  }

  public ReleaseObservation(long generation, String templateRevision, Map<String, DeploymentState> deployments,
      String action, Map<String, CheckOutcome> outcomes, String refusal, TrafficRouter.Observation route) {
    this(generation, templateRevision, deployments, action, outcomes, refusal, route, List.of(), FreshChecks.NONE);
  }

  public ReleaseObservation(long generation, String templateRevision, Map<String, DeploymentState> deployments,
      String action, Map<String, CheckOutcome> outcomes, String refusal) {
    this(generation, templateRevision, deployments, action, outcomes, refusal, null);
  }

  public ReleaseObservation(long generation, String templateRevision, Map<String, DeploymentState> deployments,
      String action, Map<String, CheckOutcome> outcomes) {
    this(generation, templateRevision, deployments, action, outcomes, null);
  }

  public ReleaseObservation withRoute(TrafficRouter.Observation observed) {
    return new ReleaseObservation(generation, templateRevision, deployments, action, outcomes, refusal, observed, links,
        templates);
  }

  public ReleaseObservation withLinks(List<LinkView> observed) {
    return new ReleaseObservation(generation, templateRevision, deployments, action, outcomes, refusal, route, observed,
        templates);
  }

  public ReleaseObservation withTemplates(FreshChecks fresh) {
    return new ReleaseObservation(generation, templateRevision, deployments, action, outcomes, refusal, route, links,
        fresh);
  }

  public int ready(String revision) {
    DeploymentState d = revision == null ? null : deployments.get(revision);
    return d == null ? 0 : d.readyReplicas();
  }
}
