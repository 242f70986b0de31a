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
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      });
    }
    return Optional.of(total);
  }

  public static Duration parseOr(String text, Duration fallback) {
    return text == null ? fallback : parse(text).orElse(fallback);
  }
}
