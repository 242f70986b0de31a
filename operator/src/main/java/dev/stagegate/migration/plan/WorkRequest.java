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

  /** One verify check over {@code keys} after stage {@code stage}'s load attempt {@code attempt}. */
  record Verify(VerifyCheck check, String stage, int attempt, KeySpan keys, int evaluation)
      implements WorkRequest {
    public String key() {
      return "verify/" + stage + "/" + attempt + "/" + check.getName() + "/" + evaluation;
    }
  }

  /** After every undo: the compare check's target must hold nothing in {@code keys}. */
  record RollbackVerify(VerifyCheck check, KeySpan keys, int evaluation) implements WorkRequest {
    public String key() {
      return "rollback/" + check.getName() + "/" + keys.from() + "-" + keys.to() + "/" + evaluation;
    }
  }
}
