package dev.stagegate.migration.plan;

import dev.stagegate.api.migration.VerifyCheck;

/**
 * Database work the planner needs done before it can decide: run off the reconcile thread, its result
 * handed back on a later reconcile. The key names the request from the status alone, so a result is
 * applied once (the status moves on) and a restarted operator simply asks again.
 */
public sealed interface WorkRequest {
  String key();

  /** Schema checks, guards, then boundaries. */
  record Preflight(int run) implements WorkRequest {
    public String key() {
      return "preflight/" + run;
    }
  }

  /** One verify check over [keyFrom, keyTo) after stage {@code stage}'s load attempt {@code attempt}. */
  record Verify(VerifyCheck check, String stage, int attempt, long keyFrom, long keyTo, int evaluation)
      implements WorkRequest {
    public String key() {
      return "verify/" + stage + "/" + attempt + "/" + check.getName() + "/" + evaluation;
    }
  }

  /** After every undo: the compare check's target must hold nothing in [keyFrom, keyTo). */
  record RollbackVerify(VerifyCheck check, long keyFrom, long keyTo, int evaluation) implements WorkRequest {
    public String key() {
      return "rollback/" + check.getName() + "/" + keyFrom + "-" + keyTo + "/" + evaluation;
    }
  }
}
