package dev.stagegate.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackendWeightsTest {

  @ParameterizedTest(name = "{0}% -> {1}/{2}")
  @CsvSource({
      "0, 1, 0",
      "1, 99, 1",
      "5, 19, 1",
      "10, 9, 1",
      "12.5, 7, 1",
      "33.3333, 666667, 333333",
      "50, 1, 1",
      "0.1, 999, 1",
      "0.0001, 999999, 1",
      "100, 0, 1"})
  @DisplayName("Given a canary percentage, then the weights are the smallest integer pair with exactly that share")
  void exactSmallestWeights(String percent, int stable, int canary) {
    BackendWeights w = BackendWeights.forCanaryPercent(new BigDecimal(percent), "stages[0].weight");

    assertThat(w).isEqualTo(new BackendWeights(stable, canary));
    assertThat(w.canaryPercent()).isEqualByComparingTo(percent);
    assertThat(w.stable()).isLessThanOrEqualTo(BackendWeights.MAX_WEIGHT);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"-1", "100.5", "0.00001"})
  @DisplayName("Given a percentage outside 0..100 or finer than one in a million, then the error names the field")
  void rejectsNamingTheField(String percent) {
    assertThatThrownBy(() -> BackendWeights.forCanaryPercent(new BigDecimal(percent), "spec.stages[2].weight"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("spec.stages[2].weight ");
  }

  @Test
  @DisplayName("Given weights 0/0, then they are refused: the route would send traffic nowhere")
  void zeroZeroRefused() {
    assertThatThrownBy(() -> new BackendWeights(0, 0)).hasMessageContaining("at least one weight");
    assertThatThrownBy(() -> new BackendWeights(1_000_001, 1)).hasMessageContaining("0..1000000");
  }

  @Test
  @DisplayName("Given two pairs with the same ratio, then they send the same shares")
  void sameShare() {
    assertThat(new BackendWeights(99, 1).sameShareAs(new BackendWeights(198, 2))).isTrue();
    assertThat(new BackendWeights(99, 1).sameShareAs(new BackendWeights(95, 5))).isFalse();
    assertThat(new BackendWeights(95, 5).canaryShare()).isEqualTo(0.05);
  }
}
