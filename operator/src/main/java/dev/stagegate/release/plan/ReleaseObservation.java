package dev.stagegate.release.plan;

import dev.stagegate.analysis.CheckOutcome;
import java.util.Map;

/**
 * What the reconciler observed before asking the planner.
 *
 * @param templateRevision hash of spec.template
 * @param deployments the Release's Deployments, by revision
 * @param action the raw `stagegate.dev/action` annotation, or null
 * @param outcomes results of the checks the planner said were due, by check name
 * @param refusal why the API server refused the last workload change permanently, or null
 */
public record ReleaseObservation(long generation, String templateRevision, Map<String, DeploymentState> deployments,
    String action, Map<String, CheckOutcome> outcomes, String refusal) {

  public ReleaseObservation(long generation, String templateRevision, Map<String, DeploymentState> deployments,
      String action, Map<String, CheckOutcome> outcomes) {
    this(generation, templateRevision, deployments, action, outcomes, null);
  }

  public int ready(String revision) {
    DeploymentState d = revision == null ? null : deployments.get(revision);
    return d == null ? 0 : d.readyReplicas();
  }
}
