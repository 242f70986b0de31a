package dev.stagegate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.analysis.CounterQuery.Refused;
import dev.stagegate.analysis.CounterQuery.Selector;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Which queries can give cumulative counts")
class CounterQueryTest {
  private static final String FIELD = "spec.checks[0].sequential.errors";

  @ParameterizedTest(
    name = "{0}"
  )
  @CsvSource(
    delimiter = '|',
    value = {"http_requests_total{app=\"checkout\",revision=\"{{revision}}\",code=~\"5..\"}|http_requests_total{app=\"checkout\",revision=\"{{revision}}\",code=~\"5..\"}", "sum(http_requests_total{revision=\"{{revision}}\"})|http_requests_total{revision=\"{{revision}}\"}", "sum by (pod) (http_requests_total{revision=\"a\"})|http_requests_total{revision=\"a\"}", "sum(http_requests_total{revision=\"a\"}) without (code)|http_requests_total{revision=\"a\"}", "  sum ( {__name__=\"x_total\", revision=~\"a.*\"} )  |{__name__=\"x_total\", revision=~\"a.*\"}", "job:requests:total|job:requests:total", "sum(x_total{path=\"/rate(x)[5m]\"})|x_total{path=\"/rate(x)[5m]\"}"}
  )
  @DisplayName("given a counter selector, optionally summed, then its selector is what the operator reads")
  void countersAreAccepted(String query, String selector) {
    assertThat(CounterQuery.parse("spec.checks[0].sequential.errors", query)).isEqualTo(new Selector(selector));
  }

  @ParameterizedTest(
    name = "{0}"
  )
  @ValueSource(
    strings = {"sum(increase(http_requests_total{code=~\"5..\"}[5m]))", "sum(rate(http_requests_total[1m]))", "irate(x_total[1m])", "sum(delta(x[2m]))"}
  )
  @DisplayName("given rate(), increase() or their kin, then it is refused naming the field and the counter to write instead")
  void ratesAreRefused(String query) {
    assertThat(CounterQuery.parse("spec.checks[0].sequential.errors", query))
      .isInstanceOfSatisfying(
        Refused.class,
        r -> assertThat(r.message()).startsWith("spec.checks[0].sequential.errors: ")
          .contains("does not give a cumulative count", "sum(http_requests_total{...})")
      );
  }

  @ParameterizedTest(
    name = "{0}"
  )
  @CsvSource(
    delimiter = '|',
    value = {"x_total[5m]|range selector", "sum(x_total offset 5m)|moves the evaluation time", "sum(x_total @ 1700000000)|moves the evaluation time", "sum(x_total{code=\"500\"}) or vector(0)|no data, not zero", "sum(x_total) / sum(y_total)|not a counter selector", "count(x_total)|not a counter selector", "sum(x_total) * 2|not a counter selector", "x_total{code=500}|not a counter selector", "sum(x_total{code=\"500}|unterminated string"}
  )
  @DisplayName("given anything else, then it is refused with the reason")
  void otherShapesAreRefused(String query, String reason) {
    assertThat(CounterQuery.parse("spec.checks[0].sequential.errors", query))
      .isInstanceOfSatisfying(
        Refused.class,
        r -> assertThat(r.message()).startsWith("spec.checks[0].sequential.errors: ")
          .contains(reason)
      );
  }

  @Test
  @DisplayName("the selector reads raw samples over a range in whole seconds")
  void rangeSelector() {
    assertThat(new Selector("x_total{a=\"b\"}").over(Duration.ofMillis(90500L))).isEqualTo("x_total{a=\"b\"}[91s]");
  }
}
