package dev.stagegate.analysis.stats;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Splits a Release's false-rollback rate across its sequential checks. Checks with their own rate keep it; the rest of
 * the budget is shared equally by the others. By the union bound the Release then falsely rolls back with
 * probability at most the Release's rate, however many checks it has.
 */
public final class ErrorBudget {
    private ErrorBudget() {
    }

    /** @param explicit each check's own rate, or null for "a share of the rest", in the checks' order */
    public static Split split(double releaseRate, Map<String, Double> explicit) {
        double claimed = 0.0;
        int shared = 0;

        for (Double rate : explicit.values()) {
            if (rate == null) {
                shared++;
            } else {
                claimed += rate;
            }
        }

        double rest = releaseRate - claimed;
        // With shared checks left, they need a positive share: an exhausted budget is as wrong as an overdrawn one.
        boolean overdrawn = shared == 0 ? rest < -1.0E-12 : rest <= 1.0E-12;
        if (overdrawn) {
            return new Invalid(
                String.format(
                    Locale.ROOT,
                    "spec.analysis.falseRollbackRate: the checks' own falseRollbackRate add up to %.4g, %s the Release's %.4g; lower them or raise the Release's budget",
                    claimed,
                    shared == 0 ? "more than" : "leaving nothing of",
                    releaseRate
                )
            );
        } else {
            Map<String, Double> rates = new LinkedHashMap<>();
            double each = shared == 0 ? 0.0 : rest / shared;
            explicit.forEach((name, rate) -> rates.put(name, rate != null ? rate : each));
            return new Rates(rates);
        }
    }

    public record Invalid(String message) implements Split {
    }

    public record Rates(Map<String, Double> perCheck) implements Split {
    }

    public sealed interface Split permits Rates, Invalid {
    }
}
