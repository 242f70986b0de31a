package dev.stagegate.analysis.stats;

import java.util.Locale;
import java.util.Objects;

/**
 * Pass/fail of a canary value against the stable revision's value of the same query over the same window, so that an
 * incident hitting both revisions cancels out.
 *
 * <p>The allowed limit is {@code baseline + |baseline| x maxIncrease} (relative) and/or {@code baseline + maxDelta}
 * (absolute). With both set the more lenient limit applies, so maxDelta acts as a floor for the relative bound
 * where the baseline is near 0. For {@link Direction#LOWER_IS_WORSE} metrics (success rates, throughput) the limits
 * mirror downwards.
 *
 * <p>A baseline of exactly 0 with only a relative bound allows no increase: a canary with errors against a stable
 * revision without any fails rather than passing silently, because "infinitely worse" must not read as "no data".
 *
 * @param maxIncrease relative allowance (0.5 = canary may be 50% worse), or null
 * @param maxDelta absolute allowance in the query's unit, or null
 */
public record BaselineComparison(Double maxIncrease, Double maxDelta, Direction direction) {

    public enum Direction { HIGHER_IS_WORSE, LOWER_IS_WORSE }

    public enum Verdict { PASS, FAIL, NO_DATA }

    /**
     * @param limit the worst canary value that still passes (NaN when NO_DATA)
     * @param reason one readable sentence for the Release status
     */
    public record Outcome(Verdict verdict, double canary, double baseline, double limit, String reason) {
        public boolean passed() {
            return verdict == Verdict.PASS;
        }
    }

    public BaselineComparison {
        Objects.requireNonNull(direction, "direction");
        if (maxIncrease == null && maxDelta == null) {
            throw new IllegalArgumentException("a baseline comparison needs maxIncrease or maxDelta");
        }
        requireAllowance("maxIncrease", maxIncrease);
        requireAllowance("maxDelta", maxDelta);
    }

    public static BaselineComparison relative(double maxIncrease) {
        return new BaselineComparison(maxIncrease, null, Direction.HIGHER_IS_WORSE);
    }

    public static BaselineComparison absolute(double maxDelta) {
        return new BaselineComparison(null, maxDelta, Direction.HIGHER_IS_WORSE);
    }

    public BaselineComparison lowerIsWorse() {
        return new BaselineComparison(maxIncrease, maxDelta, Direction.LOWER_IS_WORSE);
    }

    public Outcome compare(double canary, double baseline) {
        if (!Double.isFinite(canary) || !Double.isFinite(baseline)) {
            String missing = !Double.isFinite(canary) && !Double.isFinite(baseline) ? "canary and baseline"
                    : !Double.isFinite(canary) ? "canary" : "baseline";
            return new Outcome(Verdict.NO_DATA, canary, baseline, Double.NaN, "no data for " + missing);
        }
        double limit = limit(baseline);
        boolean pass = direction == Direction.HIGHER_IS_WORSE ? canary <= limit : canary >= limit;
        String reason = String.format(Locale.ROOT, "canary %s %s limit %s (baseline %s%s)",
                format(canary), pass ? "within" : (direction == Direction.HIGHER_IS_WORSE ? "above" : "below"),
                format(limit), format(baseline), describeAllowance());
        return new Outcome(pass ? Verdict.PASS : Verdict.FAIL, canary, baseline, limit, reason);
    }

    /** The worst canary value that passes for this baseline. */
    public double limit(double baseline) {
        double sign = direction == Direction.HIGHER_IS_WORSE ? 1 : -1;
        double allowance = Double.NEGATIVE_INFINITY;
        if (maxIncrease != null) {
            allowance = Math.abs(baseline) * maxIncrease;
        }
        if (maxDelta != null) {
            allowance = Math.max(allowance, maxDelta);
        }
        return baseline + sign * allowance;
    }

    private String describeAllowance() {
        StringBuilder out = new StringBuilder();
        if (maxIncrease != null) {
            out.append(String.format(Locale.ROOT, ", maxIncrease %s", format(maxIncrease)));
        }
        if (maxDelta != null) {
            out.append(String.format(Locale.ROOT, ", maxDelta %s", format(maxDelta)));
        }
        return out.toString();
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.4g", value);
    }

    private static void requireAllowance(String name, Double value) {
        if (value != null && !(value >= 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(name + " must be a finite number >= 0, got " + value);
        }
    }
}
