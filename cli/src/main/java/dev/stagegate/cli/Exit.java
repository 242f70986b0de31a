package dev.stagegate.cli;

/** The plugin's exit codes, stable so that CI scripts can branch on them (listed in `--help`). */
final class Exit {
  /** Done: the command worked; for `status`, the rollout is Promoted / Succeeded. */
  static final int OK = 0;
  /** For `status`: RolledBack or Failed. For an action: refused (it does not apply to the kind). */
  static final int FAILED = 1;
  /** Bad command line (picocli's own code for usage errors). */
  static final int USAGE = 2;
  /** For `status`: not finished yet (without --watch), or still not finished when --timeout ran out. */
  static final int NOT_FINISHED = 3;
  /** The object does not exist, or the API server could not be reached or refused the request. */
  static final int NOT_FOUND = 4;

  static final String HELP = "%nExit codes: 0 done (status: Promoted/Succeeded), 1 status RolledBack/Failed or action"
      + " refused, 2 bad usage, 3 status not finished (or --timeout ran out), 4 not found or API error.";

  private Exit() {}
}
