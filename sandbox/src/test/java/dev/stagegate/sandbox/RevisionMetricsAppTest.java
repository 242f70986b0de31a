package dev.stagegate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RevisionMetricsAppTest {

  private static RevisionMetricsApp.Builder shop() {
    return RevisionMetricsApp.builder("shop")
        .seed(7)
        .requestsPerSecond(1000)
        .revision("v1", 0.01, Duration.ofMillis(40))
        .revision("v2", 0.08, Duration.ofMillis(120));
  }

  @Test
  @DisplayName("Given 3 stable pods and 1 canary pod, when a minute of traffic passes, then traffic splits 3:1 and each revision fails at its own rate")
  void trafficSplitAndErrorRates() {
    try (RevisionMetricsApp app = shop().traffic(Map.of("v1", 3, "v2", 1)).build()) {
      app.simulate(Duration.ofSeconds(60));

      double v1 = total(app, "v1");
      double v2 = total(app, "v2");
      assertThat(v1 + v2).isCloseTo(60_000, within(1_500.0));
      assertThat(v1 / (v1 + v2)).isCloseTo(0.75, within(0.01));
      assertThat(app.requests("v1", "500") / v1).isCloseTo(0.01, within(0.003));
      assertThat(app.requests("v2", "500") / v2).isCloseTo(0.08, within(0.01));
    }
  }

  @Test
  @DisplayName("Given a shared incident, then every revision's error rate rises by the same amount, and falls back when it ends")
  void sharedIncident() {
    try (RevisionMetricsApp app = shop().traffic(Map.of("v1", 1, "v2", 1)).build()) {
      app.setIncidentErrorRate(0.2);
      app.simulate(Duration.ofSeconds(30));
      assertThat(app.requests("v1", "500") / total(app, "v1")).isCloseTo(0.21, within(0.02));
      assertThat(app.requests("v2", "500") / total(app, "v2")).isCloseTo(0.28, within(0.02));

      app.setIncidentErrorRate(0);
      double v1Errors = app.requests("v1", "500");
      double v1Total = total(app, "v1");
      app.simulate(Duration.ofSeconds(30));
      assertThat((app.requests("v1", "500") - v1Errors) / (total(app, "v1") - v1Total)).isCloseTo(0.01, within(0.005));
    }
  }

  @Test
  @DisplayName("When the canary's pods stop being ready and its error rate changes at runtime, then it gets no traffic and later fails at the new rate")
  void runtimeChanges() {
    try (RevisionMetricsApp app = shop().traffic(Map.of("v1", 3, "v2", 1)).build()) {
      app.simulate(Duration.ofSeconds(5));
      double canaryBefore = total(app, "v2");

      app.setTraffic(Map.of("v1", 3, "v2", 0));
      app.simulate(Duration.ofSeconds(5));
      assertThat(total(app, "v2")).isEqualTo(canaryBefore);

      app.setTraffic(Map.of("v2", 2));
      app.setErrorRate("v2", 0.5);
      double errorsBefore = app.requests("v2", "500");
      app.simulate(Duration.ofSeconds(10));
      assertThat((app.requests("v2", "500") - errorsBefore) / (total(app, "v2") - canaryBefore))
          .isCloseTo(0.5, within(0.03));
    }
  }

  @Test
  @DisplayName("The latency histogram's mean matches each revision's configured mean latency")
  void latencyHistogram() {
    try (RevisionMetricsApp app = shop().traffic(Map.of("v1", 1, "v2", 1)).build()) {
      app.simulate(Duration.ofSeconds(30));
      String text = app.metricsText();

      for (var expected : Map.of("v1", 0.040, "v2", 0.120).entrySet()) {
        Map<String, String> labels = Map.of("app", "shop", "revision", expected.getKey());
        double sum = ExpositionText.sum(text, "http_request_duration_seconds_sum", labels);
        double count = ExpositionText.sum(text, "http_request_duration_seconds_count", labels);
        assertThat(count).isEqualTo(total(app, expected.getKey()));
        assertThat(sum / count).isCloseTo(expected.getValue(), within(expected.getValue() * 0.05));
        double under100ms = ExpositionText.sum(text, "http_request_duration_seconds_bucket",
            Map.of("revision", expected.getKey(), "le", "0.1"));
        double all = ExpositionText.sum(text, "http_request_duration_seconds_bucket",
            Map.of("revision", expected.getKey(), "le", "+Inf"));
        assertThat(all).isEqualTo(count);
        assertThat(under100ms).isLessThan(all);
      }
    }
  }

  @Test
  @DisplayName("Given the same seed and the same steps, then two runs count exactly the same requests")
  void deterministicWithSeed() {
    try (RevisionMetricsApp a = shop().traffic(Map.of("v1", 3, "v2", 1)).build();
         RevisionMetricsApp b = shop().traffic(Map.of("v1", 3, "v2", 1)).build()) {
      a.simulate(Duration.ofSeconds(10));
      b.simulate(Duration.ofSeconds(10));

      assertThat(a.requests("v2", "500")).isEqualTo(b.requests("v2", "500"));
      assertThat(a.requests("v1", "200")).isEqualTo(b.requests("v1", "200"));
    }
  }

  @Test
  @DisplayName("Given a started app, then /metrics serves counters for both codes of every known revision, and they grow in real time")
  void servesMetricsOverHttp() throws Exception {
    try (RevisionMetricsApp app = shop().requestsPerSecond(500).traffic(Map.of("v1", 1)).build().start()) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> first = http.send(HttpRequest.newBuilder(URI.create(app.metricsUrl())).build(),
          HttpResponse.BodyHandlers.ofString());

      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
      assertThat(first.body()).contains("http_requests_total{app=\"shop\",code=\"500\",revision=\"v2\"} 0.0");
      assertThat(app.url()).startsWith("http://127.0.0.1:");

      await().atMost(Duration.ofSeconds(30)).until(() -> {
        String body = http.send(HttpRequest.newBuilder(URI.create(app.metricsUrl())).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        return ExpositionText.sum(body, "http_requests_total", Map.of("revision", "v1")) > 200;
      });
    }
  }

  private static double total(RevisionMetricsApp app, String revision) {
    return app.requests(revision, "200") + app.requests(revision, "500");
  }
}
