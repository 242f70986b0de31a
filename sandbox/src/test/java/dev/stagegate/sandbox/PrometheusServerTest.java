package dev.stagegate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.stagegate.sandbox.PrometheusServer.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Runs the real Prometheus binary: -Dprometheus.binary or $PROMETHEUS_BINARY, else /usr/bin/prometheus. */
@Tag("prometheus")
class PrometheusServerTest {
  private static final Duration SCRAPED_WITHIN = Duration.ofSeconds(30);

  private RevisionMetricsApp app;
  private PrometheusServer prometheus;

  @BeforeEach
  void startApp() {
    app = RevisionMetricsApp.builder("shop").requestsPerSecond(200).traffic(Map.of("v1", 3, "v2", 1)).build().start();
  }

  @AfterEach
  void stopAll() {
    if (prometheus != null) {
      prometheus.close();
    }
    app.close();
  }

  @Test
  @DisplayName("Given Prometheus scraping the metrics app every second, then sum(http_requests_total) has data and series carry the job's extra labels")
  void scrapesTheApp() {
    prometheus = new PrometheusServer(binary())
        .scrapeJob("shop", List.of(app.hostPort()), Map.of("namespace", "demo"))
        .start();

    prometheus.awaitScraped("http_requests_total", SCRAPED_WITHIN);

    List<Sample> total = prometheus.query("sum(http_requests_total)");
    assertThat(total).singleElement().satisfies(s -> assertThat(s.value()).isPositive());
    assertThat(prometheus.query("http_requests_total{revision=\"v2\",code=\"500\"}")).singleElement()
        .satisfies(s -> assertThat(s.labels()).containsEntry("namespace", "demo").containsEntry("job", "shop")
            .containsEntry("app", "shop"));
    assertThat(prometheus.query("scalar(vector(4))")).singleElement()
        .satisfies(s -> assertThat(s.value()).isEqualTo(4.0));
  }

  @Test
  @DisplayName("Given Prometheus with data, when it is stopped, then queries fail; when started again, it is back on the same URL with the earlier samples")
  void stopAndRestart() {
    prometheus = new PrometheusServer(binary()).scrapeJob("shop", List.of(app.hostPort()), Map.of()).start();
    String url = prometheus.url();
    prometheus.awaitScraped("up{job=\"shop\"}", SCRAPED_WITHIN);
    await().atMost(SCRAPED_WITHIN).until(() -> samplesOfUp() >= 3);
    double samplesBefore = samplesOfUp();

    prometheus.stop();
    assertThat(prometheus.isRunning()).isFalse();
    assertThatThrownBy(() -> prometheus.query("up")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not reachable");

    prometheus.start();
    assertThat(prometheus.url()).isEqualTo(url);
    assertThat(samplesOfUp()).isGreaterThanOrEqualTo(samplesBefore);
  }

  @Test
  @DisplayName("Given Prometheus is killed without warning, when started again, then it replays its WAL and keeps scraping")
  void killAndRestart() {
    prometheus = new PrometheusServer(binary()).scrapeJob("shop", List.of(app.hostPort()), Map.of()).start();
    prometheus.awaitScraped("up{job=\"shop\"}", SCRAPED_WITHIN);
    double samplesBefore = samplesOfUp();

    prometheus.kill();
    prometheus.start();

    await().atMost(SCRAPED_WITHIN).until(() -> samplesOfUp() > samplesBefore);
  }

  @Test
  @DisplayName("Given a recording rule file, then the recorded series appears")
  void ruleFiles() {
    prometheus = new PrometheusServer(binary())
        .scrapeJob("shop", List.of(app.hostPort()), Map.of())
        .ruleFile("shop.yml", """
            groups:
              - name: shop
                rules:
                  - record: revision:http_requests:count
                    expr: sum by (revision) (http_requests_total)
            """)
        .start();

    prometheus.awaitScraped("revision:http_requests:count{revision=\"v2\"}", SCRAPED_WITHIN);
  }

  @Test
  @DisplayName("Given a scrape job added while running, and then set again under the same name, then Prometheus reloads and scrapes it")
  void jobAddedAtRuntime() {
    prometheus = new PrometheusServer(binary()).start();
    try (RevisionMetricsApp other = RevisionMetricsApp.builder("cart").traffic(Map.of("v7", 1)).build().start()) {
      prometheus.scrapeJob("cart", List.of("127.0.0.1:1"), Map.of());
      // Prometheus refuses two jobs of one name, so this reload fails unless the job is replaced.
      prometheus.scrapeJob("cart", List.of(other.hostPort()), Map.of());

      prometheus.awaitScraped("http_requests_total{app=\"cart\"}", SCRAPED_WITHIN);
    }
  }

  @Test
  @DisplayName("Given a broken rule file, when Prometheus is started, then start fails with the log's explanation")
  void failureShowsTheLog() {
    prometheus = new PrometheusServer(binary()).startTimeout(Duration.ofSeconds(20))
        .ruleFile("broken.yml", "groups: [ this is not a rule");

    assertThatThrownBy(prometheus::start).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited")
        .hasMessageContaining("broken.yml");
    assertThat(prometheus.isRunning()).isFalse();
  }

  @Test
  @DisplayName("When closed, then its directory is gone")
  void closeDeletesDirectory() {
    prometheus = new PrometheusServer(binary()).start();
    Path dir = prometheus.directory();

    prometheus.close();

    assertThat(Files.exists(dir)).isFalse();
    prometheus = null;
  }

  private double samplesOfUp() {
    List<Sample> samples = prometheus.query("count_over_time(up{job=\"shop\"}[10m])");
    return samples.isEmpty() ? 0 : samples.get(0).value();
  }

  static Path binary() {
    String configured = System.getProperty("prometheus.binary", System.getenv("PROMETHEUS_BINARY"));
    Path binary = Path.of(configured != null ? configured : "/usr/bin/prometheus");
    assertThat(Files.isExecutable(binary))
        .as("the prometheus binary at %s (set -Dprometheus.binary or PROMETHEUS_BINARY)", binary).isTrue();
    return binary;
  }
}
