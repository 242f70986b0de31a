package dev.stagegate.api.common;

/**
 * The bounds of every duration field, written once for both places that enforce them: the CRD schema
 * (a CEL rule per field, so {@code kubectl apply} refuses {@code interval: 0s} at once) and the operator's
 * validator ({@link dev.stagegate.common.DurationRules}, for an older CRD or a mock server). Go's duration
 * parser, which CEL uses, reads every value {@link Durations#PATTERN} allows.
 */
public final class DurationLimits {
  public static final String INTERVAL_MIN = "500ms";
  public static final String INTERVAL_MAX = "1h";
  public static final String QUERY_TIMEOUT_MIN = "1s";
  public static final String QUERY_TIMEOUT_MAX = "5m";
  public static final String GUARD_TIMEOUT_MIN = "1s";
  public static final String GUARD_TIMEOUT_MAX = "10m";
  public static final String COMPARE_TIMEOUT_MIN = "1s";
  public static final String COMPARE_TIMEOUT_MAX = "24h";
  public static final String STAGE_DURATION_MIN = "0s";
  public static final String STAGE_DURATION_MAX = "168h";
  public static final String PROGRESS_DEADLINE_MIN = "1s";
  public static final String PROGRESS_DEADLINE_MAX = "24h";
  public static final String SCALE_DOWN_DELAY_MIN = "0s";
  public static final String SCALE_DOWN_DELAY_MAX = "1h";

  /** Long enough for any sane duration, short enough to keep the CEL cost estimate small. */
  public static final int MAX_LENGTH = 32;

  public static final String INTERVAL_RULE = "duration(self) >= duration('" + INTERVAL_MIN
      + "') && duration(self) <= duration('" + INTERVAL_MAX + "')";
  public static final String INTERVAL_MESSAGE = "must be from " + INTERVAL_MIN + " to " + INTERVAL_MAX;
  public static final String QUERY_TIMEOUT_RULE = "duration(self) >= duration('" + QUERY_TIMEOUT_MIN
      + "') && duration(self) <= duration('" + QUERY_TIMEOUT_MAX + "')";
  public static final String QUERY_TIMEOUT_MESSAGE = "must be from " + QUERY_TIMEOUT_MIN + " to " + QUERY_TIMEOUT_MAX;
  public static final String GUARD_TIMEOUT_RULE = "duration(self) >= duration('" + GUARD_TIMEOUT_MIN
      + "') && duration(self) <= duration('" + GUARD_TIMEOUT_MAX + "')";
  public static final String GUARD_TIMEOUT_MESSAGE = "must be from " + GUARD_TIMEOUT_MIN + " to " + GUARD_TIMEOUT_MAX;
  public static final String COMPARE_TIMEOUT_RULE = "duration(self) >= duration('" + COMPARE_TIMEOUT_MIN
      + "') && duration(self) <= duration('" + COMPARE_TIMEOUT_MAX + "')";
  public static final String COMPARE_TIMEOUT_MESSAGE = "must be from " + COMPARE_TIMEOUT_MIN + " to "
      + COMPARE_TIMEOUT_MAX;
  public static final String STAGE_DURATION_RULE = "duration(self) >= duration('" + STAGE_DURATION_MIN
      + "') && duration(self) <= duration('" + STAGE_DURATION_MAX + "')";
  public static final String STAGE_DURATION_MESSAGE = "must be from " + STAGE_DURATION_MIN + " to "
      + STAGE_DURATION_MAX;
  public static final String PROGRESS_DEADLINE_RULE = "duration(self) >= duration('" + PROGRESS_DEADLINE_MIN
      + "') && duration(self) <= duration('" + PROGRESS_DEADLINE_MAX + "')";
  public static final String PROGRESS_DEADLINE_MESSAGE = "must be from " + PROGRESS_DEADLINE_MIN + " to "
      + PROGRESS_DEADLINE_MAX;

  public static final String SCALE_DOWN_DELAY_RULE = "duration(self) >= duration('" + SCALE_DOWN_DELAY_MIN
      + "') && duration(self) <= duration('" + SCALE_DOWN_DELAY_MAX + "')";
  public static final String SCALE_DOWN_DELAY_MESSAGE = "must be from " + SCALE_DOWN_DELAY_MIN + " to "
      + SCALE_DOWN_DELAY_MAX;

  private DurationLimits() {}
}
