package dev.stagegate.routing;

import java.util.Objects;

/**
 * One request header a header-routed stage matches exactly (e.g. {@code x-canary: true}): requests carrying it go
 * to the canary whatever the weights, so a team can try a canary with no public traffic.
 */
public record HeaderMatch(String name, String value) {
  public HeaderMatch {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
