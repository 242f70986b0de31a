package dev.stagegate.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import dev.stagegate.analysis.stats.CounterSample;
import dev.stagegate.analysis.stats.CounterSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Queries against Prometheus' HTTP API (`/api/v1/query`): instant vectors for threshold checks, and range selectors
 * answered with raw samples and their timestamps for sequential checks.
 */
public final class PrometheusClient implements MetricsSource {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /**
   * Redirects are not followed: JDK 17's client keeps the Authorization header across hosts, so a
   * redirect (or a URL pointing elsewhere that answers with one) would hand the token to another server.
   */
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

  private final String baseUrl;
  private final PrometheusAuth auth;
  /** Shared by every client of one operator; null = each question is sent. */
  private final SharedQueries shared;
  private final PrometheusLimits limits;
  /** The namespace whose checks ask, for its share of the slots; null for operator-level queries. */
  private final String namespace;

  /** A client of its own, with default limits and no sharing (tests, one-off queries). */
  public PrometheusClient(String baseUrl, PrometheusAuth auth) {
    this(baseUrl, auth, null, PrometheusLimits.defaults());
  }

  public PrometheusClient(String baseUrl, PrometheusAuth auth, SharedQueries shared, PrometheusLimits limits) {
    this(baseUrl, auth, shared, limits, null);
  }

  public PrometheusClient(String baseUrl, PrometheusAuth auth, SharedQueries shared, PrometheusLimits limits,
      String namespace) {
    this.namespace = namespace;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.auth = auth;
    this.shared = shared;
    this.limits = limits;
  }

  @Override
  public QueryResult query(String promql, Duration timeout) {
    return query(promql, null, timeout);
  }

  @Override
  public QueryResult query(String promql, Instant time, Duration timeout) {
    return ask("query", promql, time, () -> {
      Response response = send(promql, time, timeout);
      return response.failure() != null ? new QueryResult.Failed(response.failure()) : parse(response.status(), response.body());
    }, r -> !(r instanceof QueryResult.Failed));
  }

  @Override
  public RawSamples samples(String rangeSelector, Instant time, Duration timeout) {
    return ask("samples", rangeSelector, time, () -> {
      Response response = send(rangeSelector, time, timeout);
      return response.failure() != null ? new RawSamples.Failed(response.failure()) : parseSamples(response.status(), response.body());
    }, r -> !(r instanceof RawSamples.Failed));
  }

  private <T> T ask(String kind, String promql, Instant time, Supplier<T> fetch, Predicate<T> evidence) {
    return shared == null ? fetch.get() : shared.answer(baseUrl, auth.identity(), kind, promql, time, fetch, evidence);
  }

  /** One GET within a concurrency slot; {@code time} null means "now" on Prometheus' clock. */
  private Response send(String promql, Instant time, Duration requested) {
    Duration timeout = limits.capped(requested);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      if (!limits.acquire(namespace, timeout)) {
        if (limits.namespaceFull(namespace)) {
          return new Response(0, null, "Prometheus at " + safeUrl() + ": no free query slot within " + timeout.toSeconds()
              + "s (namespace " + namespace + " already has " + limits.perNamespace()
              + " queries in flight, its share of the operator's slots)");
        }
        return new Response(0, null, "Prometheus at " + safeUrl() + ": no free query slot within " + timeout.toSeconds()
            + "s (" + limits.concurrency() + " queries in flight; raise the operator's Prometheus concurrency)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Response(0, null, "interrupted");
    }
    try {
      Duration left = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000L));
      return sendNow(promql, time, left, timeout);
    } finally {
      limits.release(namespace);
    }
  }

  /** {@code budget} is the whole timeout the check asked for (what a timeout message names), {@code timeout} what is left of it. */
  private Response sendNow(String promql, Instant time, Duration timeout, Duration budget) {
    URI uri = URI.create(baseUrl + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
        + (time == null ? "" : "&time=" + seconds(time.toEpochMilli()))
        + "&timeout=" + Math.max(1, timeout.toSeconds()) + "s");
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
    auth.authorizationHeader().ifPresent(h -> request.header("Authorization", h));
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300 && response.statusCode() < 400) {
        return new Response(0, null, "Prometheus at " + safeUrl() + " answered with a redirect (HTTP "
            + response.statusCode() + "), which is not followed so that credentials stay with that address;"
            + " set the URL it redirects to");
      }
      return new Response(response.statusCode(), response.body(), null);
    } catch (HttpTimeoutException e) {
      return new Response(0, null, "Prometheus at " + safeUrl() + " did not answer within " + seconds(budget.toMillis()).replaceFirst("\\.?0+$", "") + "s");
    } catch (IOException e) {
      return new Response(0, null, "Prometheus at " + safeUrl() + " is unreachable: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Response(0, null, "interrupted");
    }
  }

  /** Prometheus' time parameter: seconds with millisecond decimals, exact (no floating-point rounding). */
  static String seconds(long epochMillis) {
    return Math.floorDiv(epochMillis, 1000) + "." + String.format(Locale.ROOT, "%03d", Math.floorMod(epochMillis, 1000));
  }

  /** A range selector's answer: every series with its raw samples, nothing extrapolated. */
  static RawSamples parseSamples(int statusCode, String body) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      return new RawSamples.Failed("HTTP " + statusCode + " with a body that is not JSON");
    }
    if (!"success".equals(root.path("status").asText())) {
      return new RawSamples.Failed("HTTP " + statusCode + ": " + root.path("errorType").asText("error") + ": "
          + root.path("error").asText("no error message"));
    }
    // Partial data (a warning) is no evidence for the sequential test either.
    String partial = partialData(root);
    if (partial != null) {
      return new RawSamples.Failed(partial);
    }
    JsonNode data = root.path("data");
    if (!"matrix".equals(data.path("resultType").asText())) {
      return new RawSamples.Failed("unsupported result type '" + data.path("resultType").asText()
          + "': raw samples come from a range selector");
    }
    List<CounterSeries> series = new ArrayList<>();
    for (JsonNode result : data.path("result")) {
      Map<String, String> labels = new TreeMap<>();
      result.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      List<CounterSample> samples = new ArrayList<>();
      for (JsonNode pair : result.path("values")) {
        samples.add(new CounterSample(Math.round(pair.path(0).asDouble() * 1000), number(pair.path(1).asText())));
      }
      series.add(new CounterSeries(labels, samples));
    }
    return new RawSamples.Series(series);
  }

  static QueryResult parse(int statusCode, String body) {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      return new QueryResult.Failed("HTTP " + statusCode + " with a body that is not JSON");
    }
    if (!"success".equals(root.path("status").asText())) {
      String message = "HTTP " + statusCode + ": " + root.path("errorType").asText("error") + ": "
          + root.path("error").asText("no error message");
      // Only the query text can be bad data here: the operator writes the other parameters itself.
      return statusCode == 400 && "bad_data".equals(root.path("errorType").asText())
          ? new QueryResult.Refused(message) : new QueryResult.Failed(message);
    }
    // Warnings mean partial data (a store or shard did not answer): a value from part of the series is not
    // evidence, so it is a failed query (Error), never a pass or a fail.
    String partial = partialData(root);
    if (partial != null) {
      return new QueryResult.Failed(partial);
    }
    JsonNode data = root.path("data");
    JsonNode result = data.path("result");
    switch (data.path("resultType").asText()) {
      case "scalar":
        return new QueryResult.Value(number(result.path(1).asText()));
      case "vector":
        if (result.size() == 0) {
          return new QueryResult.Empty();
        }
        if (result.size() > 1) {
          return new QueryResult.Multiple(result.size());
        }
        return new QueryResult.Value(number(result.path(0).path("value").path(1).asText()));
      default:
        return new QueryResult.Failed("unsupported result type '" + data.path("resultType").asText()
            + "': a check needs an instant vector with one series or a scalar");
    }
  }

  private static double number(String text) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  /** The base URL without any user:password part, for messages. */
  String safeUrl() {
    return baseUrl.replaceFirst("://[^/@]*@", "://****@");
  }

  @Override
  public String toString() {
    return "PrometheusClient[" + safeUrl() + ", " + auth + "]";
  }

  /** Why an answer with warnings is not evidence, or null when it has none. */
  private static String partialData(JsonNode root) {
    JsonNode warnings = root.path("warnings");
    if (!warnings.isArray() || warnings.size() == 0) {
      return null;
    }
    String first = warnings.path(0).asText("");
    return "Prometheus answered with " + warnings.size() + " warning(s), the data may be partial: "
        + (first.length() > 200 ? first.substring(0, 200) + "..." : first);
  }

  /** An HTTP answer, or why there was none. */
  private record Response(int status, String body, String failure) {
  }
}
