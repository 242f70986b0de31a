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

  @Test
  @DisplayName("given HTTP 400 bad_data (the query text cannot be parsed), then it is a refused query, not a failure to wait on")
  void badDataIsARefusedQuery() {
    String body = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unclosed left parenthesis\"}";
    assertThat(PrometheusClient.parse(400, body))
        .isEqualTo(new QueryResult.Refused("HTTP 400: bad_data: 1:5: parse error: unclosed left parenthesis"));
  }

  @Test
  @DisplayName("given HTTP 422 execution or 503 unavailable, then it is a failed query: the same text may work later")
  void executionErrorsAreFailures() {
    assertThat(PrometheusClient.parse(422, "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"many-to-many\"}"))
        .isInstanceOf(QueryResult.Failed.class);
    assertThat(PrometheusClient.parse(503, "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"x\"}"))
        .isInstanceOf(QueryResult.Failed.class);
  }
}
