package dev.stagegate.kube;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Binds a Prometheus Secret to the one server its credentials are for. Whoever may create a Release may name
 * any Secret of the namespace and any URL; without this, the Secret's token went to the URL the Release chose.
 * The Secret's owner says where it may go with the annotation {@value #ANNOTATION} (`https://host:port`), and
 * the credentials are used only when that origin equals the origin of spec.prometheus.url.
 */
public final class PrometheusOrigin {
  public static final String ANNOTATION = "stagegate.dev/prometheus-origin";

  private PrometheusOrigin() {
  }

  /** scheme://host:port in lower case with the scheme's default port filled in, or empty if it is not a URL. */
  public static Optional<String> of(String url) {
    if (url == null) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(url.strip());
      String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
      if (uri.getHost() == null || !("http".equals(scheme) || "https".equals(scheme))) {
        return Optional.empty();
      }
      int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
      return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /** Why the Secret's credentials may not go to {@code url}, or empty when they may. Names no value of the Secret. */
  public static Optional<String> refusal(String secret, String annotation, String url) {
    if (annotation == null || annotation.isBlank()) {
      return Optional.of("Secret " + secret + " (spec.prometheus.secretRef) has no annotation " + ANNOTATION
          + "; its credentials are sent only to the origin it names: annotate it with " + ANNOTATION + ": "
          + of(url).orElse("https://host:port") + " if that is the server they are for");
    }
    Optional<String> allowed = of(annotation);
    Optional<String> target = of(url);
    if (allowed.isEmpty()) {
      return Optional.of("Secret " + secret + ": annotation " + ANNOTATION + " is not an http(s) origin like https://host:port");
    }
    if (!allowed.equals(target)) {
      return Optional.of("Secret " + secret + " is for " + allowed.get() + " (annotation " + ANNOTATION
          + "), not for spec.prometheus.url's origin " + target.orElse("(none)") + "; its credentials are not sent there");
    }
    return Optional.empty();
  }
}
