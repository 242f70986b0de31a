package dev.stagegate.analysis.stats;

/**
 * Cumulative request and error counts of one revision, as read from Prometheus counters
 * (for example {@code sum(http_requests_total{revision="..."})}).
 *
 * <p>Values are doubles because Prometheus returns floats; NaN means the query returned no data.
 */
public record Counts(double requests, double errors) {

    public static Counts of(double requests, double errors) {
        return new Counts(requests, errors);
    }

    /** Both values are finite and non-negative, i.e. usable as counter readings. */
    public boolean isUsable() {
        return Double.isFinite(requests) && Double.isFinite(errors) && requests >= 0 && errors >= 0;
    }

    Counts minus(Counts earlier) {
        return new Counts(requests - earlier.requests, errors - earlier.errors);
    }

    Counts plus(Counts other) {
        return new Counts(requests + other.requests, errors + other.errors);
    }

    boolean hasNegative() {
        return requests < 0 || errors < 0;
    }

    static final Counts ZERO = new Counts(0, 0);
}
