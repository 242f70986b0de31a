package dev.stagegate.link;

import dev.stagegate.api.common.GateUntil;
import dev.stagegate.api.common.LinkPolicy;
import java.time.Instant;

/**
 * The other side of a Release ↔ DataMigration link, as the reconciler observed it: what a planner needs to
 * open a gate or follow a failure, and nothing else.
 *
 * @param resource Kind/name, e.g. DataMigration/members-2025
 * @param exists false while the resource is not (yet) in the cluster: its gates wait, they do not fail
 * @param current its status describes its current spec (observedGeneration = generation); an older status is no evidence
 * @param phase its phase, or null before its first turn
 * @param stagesDone how many of its stages, from the first, are done (verified / completed)
 * @param finished Succeeded (DataMigration) or Promoted (Release)
 * @param failedAt when it failed or began to roll back, or null while it has not
 * @param failure what failed, for messages, or null
 * @param policy the pair's policy: RollBackBoth unless every gate between the two says Independent
 */
public record LinkView(String resource, boolean exists, boolean current, String phase, int stagesDone,
    boolean finished, Instant failedAt, String failure, LinkPolicy policy) {

  public static LinkView missing(String resource, LinkPolicy policy) {
    return new LinkView(resource, false, false, null, 0, false, null, null, policy);
  }

  /** Whether a gate waiting for {@code until} may open. */
  public boolean reached(GateUntil until) {
    if (!exists || !current) {
      return false;
    }
    return until.getStage() != null ? finished || stagesDone > until.getStage() : finished;
  }

  /** Why a gate waiting for {@code until} is still closed, for the status message. */
  public String waitingFor(GateUntil until) {
    String what = resource + " to reach " + until.describe();
    if (!exists) {
      return what + " (not found yet)";
    }
    if (!current) {
      return what + " (its status does not describe its current spec yet)";
    }
    String now = phase == null ? "not started" : phase + ", " + stagesDone + " stage(s) done";
    return what + " (now " + now + (failure != null ? "; " + failure : "") + ")";
  }

  public boolean rollsBackBoth() {
    return policy == LinkPolicy.RollBackBoth;
  }
}
