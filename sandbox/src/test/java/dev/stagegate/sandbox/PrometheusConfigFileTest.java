package dev.stagegate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.sandbox.PrometheusConfigFile.ScrapeJob;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PrometheusConfigFileTest {

  @Test
  @DisplayName("Given a 1 s scrape interval, then the scrape timeout is lowered to 1 s, since Prometheus refuses a timeout above the interval")
  void timeoutNeverAboveInterval() {
    String yaml = PrometheusConfigFile.render(Duration.ofSeconds(1), Duration.ofMillis(500), List.of(), List.of());

    assertThat(yaml).contains("scrape_interval: 1s", "scrape_timeout: 1s", "evaluation_interval: 500ms",
        "scrape_configs: []");
  }

  @Test
  @DisplayName("Given a job with targets, labels and a rule file, then each appears quoted so odd values cannot break the YAML")
  void jobsLabelsAndRules() {
    String yaml = PrometheusConfigFile.render(Duration.ofSeconds(30), Duration.ofSeconds(30),
        List.of(new ScrapeJob("shop", List.of("127.0.0.1:1", "127.0.0.1:2"), Map.of("team", "a\"b"))),
        List.of("/tmp/rules.yml"));

    assertThat(yaml).contains(
        "scrape_timeout: 10s",
        "rule_files:\n  - \"/tmp/rules.yml\"",
        "  - job_name: \"shop\"",
        "      - targets: [\"127.0.0.1:1\", \"127.0.0.1:2\"]",
        "          team: \"a\\\"b\"");
  }

  @Test
  @DisplayName("A zero duration is refused rather than written as an invalid config")
  void zeroDurationRefused() {
    assertThatThrownBy(() -> PrometheusConfigFile.duration(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }
}
