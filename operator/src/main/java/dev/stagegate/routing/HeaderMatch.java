package dev.stagegate.routing;

import java.util.Objects;

/**
 * One request header a header-routed stage matches (e.g. {@code x-canary: true}): requests carrying it go to the
 * canary whatever the weights, so a team can try a canary with no public traffic. Stage headers match exactly; a
 * stage cookie becomes a regular-expression match on {@code Cookie} ({@link CookieMatch}).
 *
 * @param type the Gateway API match type, {@value #EXACT} or {@value #REGULAR_EXPRESSION}
 */
public record HeaderMatch(String name, String value, String type) {
  public static final String EXACT = "Exact";
  public static final String REGULAR_EXPRESSION = "RegularExpression";

  public HeaderMatch {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (!EXACT.equals(type) && !REGULAR_EXPRESSION.equals(type)) {
      throw new IllegalArgumentException("header match type must be Exact or RegularExpression, got " + type);
    }
  }

  /** An exact match, as a stage's {@code match.headers} asks for. */
  public HeaderMatch(String name, String value) {
    this(name, value, EXACT);
  }
}
