package dev.stagegate.release.plan;

import dev.stagegate.analysis.CheckOutcome;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.common.Conditions;
import dev.stagegate.common.Note;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A check whose query Prometheus refuses (a syntax error) is a spec error, not missing evidence: asking again cannot
 * help, so the Release is Failed with reason {@code InvalidQuery} naming the check, once, and held exactly as it is
 * (no promotion, no rollback, no more queries) until its spec changes; then it goes on from where it was.
 */
final class InvalidQueryHold {
  static final String REASON = ReleaseReasons.Event.InvalidQuery.name();

  private InvalidQueryHold() {
  }

  /** True when this turn is a hold (the plan is then {@link #plan}); clears an earlier hold once the spec changed. */
  static boolean applies(ReleaseDraft d, Long seenGeneration) {
    if (refusedQuery(d) != null) {
      return true;
    }
    if (!held(d)) {
      return false;
    }
    if (Objects.equals(seenGeneration, d.obs.generation())) {
      return true;
    }
    // The spec changed: judge again from the stage the canary was held in.
    d.next.setPhase(d.next.getCanaryRevision() != null ? ReleasePhase.Progressing : null);
    d.next.setMessage(null);
    return false;
  }

  static ReleasePlan plan(ReleaseDraft d) {
    String refused = refusedQuery(d);
    String message = refused != null ? refused : d.next.getMessage();
    boolean changed = !held(d) || !message.equals(d.next.getMessage());
    d.next.setPhase(ReleasePhase.Failed);
    d.next.setMessage(message);
    d.next.setConditions(Conditions.stalled(REASON, message).after(d.next.getConditions(), d.obs.generation(), d.now));
    if (changed) {
      d.note(Note.warning(ReleaseReasons.Event.InvalidQuery, message));
    }
    return d.planWithoutChanges();
  }

  private static boolean held(ReleaseDraft d) {
    Condition stalled = Conditions.find(d.next.getConditions(), Conditions.STALLED);
    return d.next.getPhase() == ReleasePhase.Failed && stalled != null && "True".equals(stalled.getStatus())
        && REASON.equals(stalled.getReason());
  }

  /** The message for the first check whose query was refused this turn, or null. */
  private static String refusedQuery(ReleaseDraft d) {
    Map<String, CheckOutcome> outcomes = d.obs.outcomes();
    if (outcomes == null) {
      return null;
    }
    for (Map.Entry<String, CheckOutcome> e : outcomes.entrySet()) {
      if (e.getValue().invalidQuery()) {
        return "invalid query: " + field(d.spec.getChecks(), e.getKey()) + ": " + e.getValue().message()
            + "; the canary is held as it is (no promotion, no rollback) until the query is fixed";
      }
    }
    return null;
  }

  private static String field(List<Check> checks, String name) {
    for (int i = 0; checks != null && i < checks.size(); i++) {
      if (name.equals(checks.get(i).getName())) {
        return "spec.checks[" + i + "].prometheus.query (check '" + name + "')";
      }
    }
    return "check '" + name + "'";
  }
}
