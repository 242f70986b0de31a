package dev.stagegate.analysis;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Whether a spec's Prometheus URL can be used. The old check (a regex for http:// or https://) let
 * {@code http://:9090} and a trailing space through; the client then threw outside the handled errors on
 * every reconcile and the Release froze, abort and rollback included. Checked here, it is InvalidSpec.
 */
public final class PrometheusUrl {
  private PrometheusUrl() {}

  /** Why the URL cannot be used, or empty when it can. The message never repeats the URL (it may hold a password). */
  public static Optional<String> problem(String url) {
    if (url == null || url.isEmpty()) {
      return Optional.of("must not be empty");
    }
    if (!url.strip().equals(url) || url.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      return Optional.of("must not contain spaces or control characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      return Optional.of("is not a valid URL (" + e.getReason() + " at character " + (e.getIndex() + 1) + ")");
    }
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      return Optional.of("must start with http:// or https://");
    }
    if (uri.getRawUserInfo() != null) {
      return Optional.of("must not carry credentials; put a bearer token in a Secret and name it in secretRef");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      return Optional.of("needs a host name or address, like http://prometheus.monitoring:9090");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      return Optional.of("must be the server's base URL, without ?query or #fragment");
    }
    return Optional.empty();
  }
}
