package dev.stagegate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.analysis.RawSamples.Failed;
import dev.stagegate.analysis.RawSamples.Series;
import dev.stagegate.analysis.stats.CounterSample;
import dev.stagegate.analysis.stats.CounterSeries;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Raw samples from Prometheus' answers")
class PrometheusClientSamplesTest {
  @Test
  @DisplayName("a matrix answer gives every series with its samples at their own scrape timestamps")
  void matrixIsParsed() {
    String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[\n  {\"metric\":{\"__name__\":\"http_requests_total\",\"pod\":\"a\"},\"values\":[[1700000000.123,\"10\"],[1700000015.123,\"25\"]]},\n  {\"metric\":{\"__name__\":\"http_requests_total\",\"pod\":\"b\"},\"values\":[[1700000007.9,\"3\"]]}]}}";
    RawSamples samples = PrometheusClient.parseSamples(200, body);
    assertThat(samples)
      .isEqualTo(
        new Series(
          List.of(
            new CounterSeries(
              Map.of("__name__", "http_requests_total", "pod", "a"),
              List.of(new CounterSample(1700000000123L, 10.0), new CounterSample(1700000015123L, 25.0))
            ),
            new CounterSeries(Map.of("__name__", "http_requests_total", "pod", "b"), List.of(new CounterSample(1700000007900L, 3.0)))
          )
        )
      );
  }

  @Test
  @DisplayName("an error or an instant vector where a matrix was expected is a failure with the reason")
  void errorsAreFailures() {
    assertThat(PrometheusClient.parseSamples(400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}"))
      .isEqualTo(new Failed("HTTP 400: bad_data: parse error"));
    assertThat(PrometheusClient.parseSamples(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"))
      .isInstanceOf(Failed.class);
    assertThat(PrometheusClient.parseSamples(502, "<html>")).isEqualTo(new Failed("HTTP 502 with a body that is not JSON"));
  }

  @Test
  @DisplayName("times are sent as seconds with milliseconds")
  void timeFormat() {
    assertThat(PrometheusClient.seconds(1700000000123L)).isEqualTo("1700000000.123");
    assertThat(PrometheusClient.seconds(5L)).isEqualTo("0.005");
  }
}
