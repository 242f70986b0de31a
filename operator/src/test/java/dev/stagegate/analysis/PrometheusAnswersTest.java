package dev.stagegate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PrometheusAnswersTest {

  @Test
  @DisplayName("given an answer with warnings (partial data), then it is a failed query saying so, never a value to judge")
  void warningsAreNotEvidence() {
    String body = """
        {"status":"success","warnings":["remote store eu-west did not answer, results may be incomplete"],
         "data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"0"]}]}}""";
    assertThat(PrometheusClient.parse(200, body)).isInstanceOfSatisfying(QueryResult.Failed.class,
        f -> assertThat(f.message()).contains("1 warning(s)", "partial", "eu-west did not answer"));
  }

  @Test
  @DisplayName("given the same answer without warnings, then it is its value")
  void withoutWarningsItIsAValue() {
    String body = """
        {"status":"success","warnings":[],
         "data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"0.25"]}]}}""";
    assertThat(PrometheusClient.parse(200, body)).isEqualTo(new QueryResult.Value(0.25));
  }
}
