package dev.stagegate.analysis.stats;

/**
 * One kind of bad event a sequential check compares between canary and stable, as counters over the same requests.
 *
 * @param name for messages
 * @param requests counter of all requests (shared by every signal of one check)
 * @param counter counter of bad events, or of good events when {@code counterCountsGood}
 * @param counterCountsGood true for histogram buckets: {@code le} counts requests at most that slow, so the bad ones
 *     (slower than {@code le}) are requests minus bucket
 */
public record Signal(String name, String requests, String counter, boolean counterCountsGood) {
    public static final String REQUESTS = "requests";
    public static final String ERRORS = "errors";
    public static final String HISTOGRAM_COUNT = "count";

    /** Errors among requests. */
    public static Signal errors() {
        return new Signal("errors", REQUESTS, ERRORS, false);
    }

    /** Requests slower than the histogram bucket {@code le} (seconds) among the histogram's count. */
    public static Signal slowerThan(String le) {
        return new Signal("slower than " + le + "s", HISTOGRAM_COUNT, bucket(le), true);
    }

    /** Counter name of the histogram bucket {@code le}. */
    public static String bucket(String le) {
        return "le=" + le;
    }
}
