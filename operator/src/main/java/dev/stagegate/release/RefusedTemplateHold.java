package dev.stagegate.release;

import dev.stagegate.api.Release;
import dev.stagegate.api.ReleasePhase;
import dev.stagegate.api.ReleaseStatus;
import dev.stagegate.common.Conditions;
import io.fabric8.kubernetes.api.model.Condition;

/**
 * Stops the loop a refused pod template caused. Only the API server can refuse some templates (a container
 * name that is not a DNS label, a Release name too long for a label value); our validator passes them, so
 * the planner took the stored Failed for an invalid spec since fixed and tried again: refused, Failed, the
 * status write woke the next reconcile, one more Event each time (233 writes and 117 Events in 10 s on the
 * real API server). A refusal is recorded with the generation it was made for; until the spec changes (a
 * new generation) there is nothing to try again.
 */
final class RefusedTemplateHold {
  static final String MESSAGE_PREFIX = "invalid spec: spec.template: the API server refused the Deployment: ";

  private RefusedTemplateHold() {}

  /** True while the stored status is an API-server refusal of this very generation of the spec. */
  static boolean holds(Release release) {
    ReleaseStatus status = release.getStatus();
    Long generation = release.getMetadata().getGeneration();
    if (status == null || generation == null || status.getPhase() != ReleasePhase.Failed
        || status.getMessage() == null || !status.getMessage().startsWith(MESSAGE_PREFIX)
        || status.getConditions() == null) {
      return false;
    }
    return status.getConditions().stream()
        .filter(c -> Conditions.STALLED.equals(c.getType()))
        .anyMatch(c -> "True".equals(c.getStatus()) && "InvalidSpec".equals(c.getReason())
            && generation.equals(observed(c)));
  }

  private static Long observed(Condition condition) {
    return condition.getObservedGeneration();
  }
}
