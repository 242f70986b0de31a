package dev.stagegate.api.common;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;

/** Go-style durations as Kubernetes users write them: 30s, 5m, 1h30m, 500ms. */
public final class Durations {
  /** Used by the CRD schema and by the operator's own validation, so both agree. */
  public static final String PATTERN = "^([0-9]+(ms|s|m|h))+$";
  private static final java.util.regex.Pattern PART = java.util.regex.Pattern.compile("([0-9]+)(ms|s|m|h)");
  private static final java.util.regex.Pattern WHOLE = java.util.regex.Pattern.compile(PATTERN);

  private Durations() {}

  /** Empty when the text is not a duration such as "5m" (e.g. "5 minutes"). */
  public static Optional<Duration> parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    Matcher m = PART.matcher(text);
    try {
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        total = total.plus(switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          default -> Duration.ofHours(n);
        });
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // 99999999999999999999h matches the pattern but fits no Duration: not a duration, never a crash.
      return Optional.empty();
    }
    return Optional.of(total);
  }

  /** The shortest form in the units users write: 1h30m, 5m, 10s, 500ms, 0s. */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long hours = duration.toHours();
    int minutes = duration.toMinutesPart();
    int seconds = duration.toSecondsPart();
    int millis = duration.toMillisPart();
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (minutes > 0) {
      out.append(minutes).append('m');
    }
    if (seconds > 0) {
      out.append(seconds).append('s');
    }
    if (millis > 0) {
      out.append(millis).append("ms");
    }
    return out.toString();
  }

  public static Duration parseOr(String text, Duration fallback) {
    return text == null ? fallback : parse(text).orElse(fallback);
  }
}
