package dev.stagegate.common;

import dev.stagegate.api.common.DurationLimits;
import dev.stagegate.api.common.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Sane bounds for every duration a user writes. The pattern alone let {@code interval: 0s} through (a
 * check that queried Prometheus about 1,000 times in 15 s) and {@code duration: 9999999h} (a stage that
 * never ends), and a number too large for a long made the parser throw on every reconcile. Messages name
 * the field and the allowed range. The bounds are {@link DurationLimits}, which the CRD schema enforces too.
 */
public final class DurationRules {
  /**
   * How often a check or verify check runs: at most twice a second (not a tight loop; fast test scenarios
   * use 500ms), and at least hourly so a stage decides.
   */
  public static final Bounds INTERVAL =
      Bounds.of(DurationLimits.INTERVAL_MIN, DurationLimits.INTERVAL_MAX);
  /** One Prometheus query. */
  public static final Bounds QUERY_TIMEOUT =
      Bounds.of(DurationLimits.QUERY_TIMEOUT_MIN, DurationLimits.QUERY_TIMEOUT_MAX);
  /** One guard statement on a production database. */
  public static final Bounds GUARD_TIMEOUT =
      Bounds.of(DurationLimits.GUARD_TIMEOUT_MIN, DurationLimits.GUARD_TIMEOUT_MAX);
  /** One compare (a bisection over the migrated keys) may take long on big tables. */
  public static final Bounds COMPARE_TIMEOUT =
      Bounds.of(DurationLimits.COMPARE_TIMEOUT_MIN, DurationLimits.COMPARE_TIMEOUT_MAX);
  /** How long a stage bakes: zero is fine, a week is the most a rollout stage sensibly waits. */
  public static final Bounds STAGE_DURATION =
      Bounds.of(DurationLimits.STAGE_DURATION_MIN, DurationLimits.STAGE_DURATION_MAX);
  /** How long a rollout may make no progress before it is called stuck (short ones are for tests and demos). */
  public static final Bounds PROGRESS_DEADLINE =
      Bounds.of(DurationLimits.PROGRESS_DEADLINE_MIN, DurationLimits.PROGRESS_DEADLINE_MAX);

  /** How long a canary's pods outlive its route weight of 0: a gateway follows a route seconds later. */
  public static final Bounds SCALE_DOWN_DELAY =
      Bounds.of(DurationLimits.SCALE_DOWN_DELAY_MIN, DurationLimits.SCALE_DOWN_DELAY_MAX);

  public record Bounds(Duration min, Duration max) {
    static Bounds of(String min, String max) {
      return new Bounds(Durations.parse(min).orElseThrow(), Durations.parse(max).orElseThrow());
    }

    String shown() {
      return Durations.format(min) + " to " + Durations.format(max);
    }
  }

  private DurationRules() {}

  /** Adds an error naming {@code field} when {@code value} is set and not a duration within {@code bounds}. */
  public static void check(String field, String value, Bounds bounds, List<String> errors) {
    if (value == null) {
      return;
    }
    Optional<Duration> parsed = Durations.parse(value);
    if (parsed.isEmpty()) {
      errors.add(field + ": '" + shown(value) + "' is not a duration from " + bounds.shown()
          + "; write e.g. 30s, 5m or 1h30m");
    } else if (parsed.get().compareTo(bounds.min()) < 0 || parsed.get().compareTo(bounds.max()) > 0) {
      errors.add(field + ": " + value + " is outside " + bounds.shown());
    }
  }

  private static String shown(String value) {
    String cut = value.length() > 32 ? value.substring(0, 32) + "..." : value;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }
}
