package dev.stagegate.routing;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A cookie a stage routes to the canary by (e.g. {@code canary=always}). The Gateway API has no cookie match, so it
 * is written as a {@code RegularExpression} match on the {@code Cookie} header ({@link #asHeader}) whose pattern
 * holds exactly when the header has a cookie of that name with that value: the name starts the header or follows a
 * {@code ;} (and optional spaces), and the value ends the header or is followed by {@code ;}. So {@code xcanary=always}
 * and {@code canary=always2} do not match. The pattern is anchored at both ends with optional prefix and suffix, so it
 * means the same under "find anywhere" (Traefik, Go's {@code regexp.MatchString}) and "whole value" (Envoy's RE2
 * full match) semantics.
 */
public record CookieMatch(String name, String value) {
  /** RFC 6265 cookie-name: an RFC 7230 token. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+\\-.^_|~]+");
  /**
   * RFC 6265 cookie-octets without the backtick: Traefik writes a header pattern into its rule between backticks, so a
   * backtick in a value would break the rule.
   */
  static final Pattern VALUE = Pattern.compile("[\\x21\\x23-\\x2B\\x2D-\\x3A\\x3C-\\x5B\\x5D-\\x5F\\x61-\\x7E]+");
  public static final String HEADER = "Cookie";
  private static final String REGEX_SPECIALS = "\\.+*?()|[]{}^$";

  public CookieMatch {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }

  /** The header match the route carries for this cookie. */
  public HeaderMatch asHeader() {
    return new HeaderMatch(HEADER, pattern(), HeaderMatch.REGULAR_EXPRESSION);
  }

  /** {@code ^(?:.*;\s*)?NAME=VALUE(?:;.*)?$}, with NAME and VALUE taken literally. */
  public String pattern() {
    return "^(?:.*;\\s*)?" + literal(name) + "=" + literal(value) + "(?:;.*)?$";
  }

  private static String literal(String text) {
    StringBuilder out = new StringBuilder();
    for (char c : text.toCharArray()) {
      if (REGEX_SPECIALS.indexOf(c) >= 0) {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
