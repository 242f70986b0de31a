package dev.stagegate.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.analysis.stats.ErrorBudget.Invalid;
import dev.stagegate.analysis.stats.ErrorBudget.Rates;
import dev.stagegate.analysis.stats.ErrorBudget.Split;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("One false-rollback budget per Release")
class ErrorBudgetTest {
    private static Map<String, Double> checks(Object... nameAndRate) {
        Map<String, Double> m = new LinkedHashMap<>();

        for (int i = 0; i < nameAndRate.length; i += 2) {
            m.put((String) nameAndRate[i], (Double) nameAndRate[i + 1]);
        }

        return m;
    }

    @Test
    @DisplayName("given checks without their own rate, then they share the Release's budget equally")
    void equalSplit() {
        assertThat(ErrorBudget.split(0.01, checks("errors", null, "latency", null))).isEqualTo(new Rates(Map.of("errors", 0.005, "latency", 0.005)));
    }

    @Test
    @DisplayName("given a check with its own rate, then it keeps it and the others share the rest")
    void explicitRatesComeFirst() {
        Split split = ErrorBudget.split(0.01, checks("errors", 0.006, "latency", null, "timeouts", null));
        assertThat(split).isEqualTo(new Rates(Map.of("errors", 0.006, "latency", 0.002, "timeouts", 0.002)));
    }

    @Test
    @DisplayName("given explicit rates above the budget, or using all of it while others need some, then it is invalid naming the field")
    void overdrawnIsInvalid() {
        assertThat(ErrorBudget.split(0.01, checks("errors", 0.008, "latency", 0.004)))
            .isInstanceOfSatisfying(
                Invalid.class,
                i -> assertThat(i.message()).startsWith("spec.analysis.falseRollbackRate:")
                    .contains("0.012", "more than")
            );
        assertThat(ErrorBudget.split(0.01, checks("errors", 0.01, "latency", null))).isInstanceOf(Invalid.class);
        assertThat(ErrorBudget.split(0.01, checks("errors", 0.004, "latency", 0.006))).isInstanceOf(Rates.class);
    }
}
