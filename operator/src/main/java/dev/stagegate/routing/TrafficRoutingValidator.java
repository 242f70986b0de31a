package dev.stagegate.routing;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks {@code spec.trafficRouting.gatewayAPI} and the stages' traffic before anything is written, returning one
 * message per problem, each naming the field, so a bad spec is reported in full rather than one error at a time.
 */
public final class TrafficRoutingValidator {
  private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_1123_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  /** RFC 7230 token characters: what the Gateway API accepts as a header name. */
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+\\-.^_`|~]+");
  private static final int MAX_HEADER_MATCHES = 16;

  private TrafficRoutingValidator() {}

  public static List<String> validate(GatewayApiRouting routing) {
    String f = GatewayApiRouting.FIELD;
    List<String> errors = new ArrayList<>();
    if (routing == null) {
      return List.of(f + " is required when trafficRouting is set");
    }
    subdomain(errors, f + ".httpRoute", routing.httpRoute());
    // Service names are DNS-1123 labels (they become DNS names), stricter than most object names.
    label(errors, f + ".stableService", routing.stableService());
    label(errors, f + ".canaryService", routing.canaryService());
    if (routing.stableService() != null && routing.stableService().equals(routing.canaryService())) {
      errors.add(f + ".canaryService must differ from stableService (both are '" + routing.stableService()
          + "': the split would send everything to one Service)");
    }
    if (routing.port() < 1 || routing.port() > 65535) {
      errors.add(f + ".port must be within 1..65535, got " + routing.port());
    }
    Duration delay = routing.scaleDownDelay();
    if (delay == null || delay.isNegative()) {
      errors.add(f + ".scaleDownDelay must be zero or positive, got " + delay);
    }
    return errors;
  }

  /** An optional route's name (the GRPCRoute), as written in {@code field}. */
  public static List<String> validateRouteName(String field, String name) {
    List<String> errors = new ArrayList<>();
    subdomain(errors, field, name);
    return errors;
  }

  /** A stage's canary weight in percent, as written in {@code field}. */
  public static List<String> validateWeight(String field, BigDecimal percent) {
    try {
      BackendWeights.forCanaryPercent(percent, field);
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of(e.getMessage());
    }
  }

  /** A stage's header matches, as written in {@code field} (a list). */
  public static List<String> validateHeaders(String field, List<HeaderMatch> matches) {
    List<String> errors = new ArrayList<>();
    if (matches.size() > MAX_HEADER_MATCHES) {
      errors.add(field + " has " + matches.size() + " headers; the Gateway API allows at most " + MAX_HEADER_MATCHES);
    }
    for (int i = 0; i < matches.size(); i++) {
      HeaderMatch m = matches.get(i);
      if (m.name().isEmpty() || m.name().length() > 256 || !HEADER_NAME.matcher(m.name()).matches()) {
        errors.add(field + "[" + i + "].name must be an HTTP header name (1-256 token characters), got '"
            + m.name() + "'");
      }
      if (m.value().isEmpty() || m.value().length() > 4096) {
        errors.add(field + "[" + i + "].value must be 1-4096 characters");
      }
    }
    return errors;
  }

  /**
   * A stage's cookie matches, as written in {@code field} (a list), next to its exact {@code headers}: one cookie at
   * most, since a route match holds one entry per header name and all of a stage's cookies share the Cookie header.
   */
  public static List<String> validateCookies(String field, List<CookieMatch> cookies, List<HeaderMatch> headers) {
    List<String> errors = new ArrayList<>();
    if (cookies.size() > 1) {
      errors.add(field + " has " + cookies.size() + " cookies; a stage may match at most one (all cookies share the"
          + " Cookie header, and a route match holds one entry per header)");
    }
    if (!cookies.isEmpty() && headers.stream().anyMatch(h -> h.name().equalsIgnoreCase(CookieMatch.HEADER))) {
      errors.add(field + " cannot be combined with a Cookie entry in match.headers: use one or the other");
    }
    for (int i = 0; i < cookies.size(); i++) {
      CookieMatch c = cookies.get(i);
      if (c.name().isEmpty() || c.name().length() > 256 || !CookieMatch.NAME.matcher(c.name()).matches()) {
        errors.add(field + "[" + i + "].name must be a cookie name (1-256 token characters), got '" + c.name() + "'");
      }
      if (c.value().isEmpty() || c.value().length() > 1024 || !CookieMatch.VALUE.matcher(c.value()).matches()) {
        errors.add(field + "[" + i + "].value must be 1-1024 cookie characters (no spaces, quotes, commas,"
            + " semicolons, backslashes or backticks)");
      }
    }
    return errors;
  }

  private static void label(List<String> errors, String field, String value) {
    if (value == null || value.isEmpty()) {
      errors.add(field + " is required");
    } else if (value.length() > 63 || !DNS_1123_LABEL.matcher(value).matches()) {
      errors.add(field + " must be a DNS-1123 label (lower-case letters, digits and '-', at most 63), got '"
          + value + "'");
    }
  }

  private static void subdomain(List<String> errors, String field, String value) {
    if (value == null || value.isEmpty()) {
      errors.add(field + " is required");
    } else if (value.length() > 253 || !DNS_1123_SUBDOMAIN.matcher(value).matches()) {
      errors.add(field + " must be a DNS-1123 name (lower-case letters, digits, '-' and '.'), got '" + value + "'");
    }
  }
}
