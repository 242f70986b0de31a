package dev.stagegate.analysis.stats;

/** What {@link CounterAlignment} made of one reading of raw samples. */
public sealed interface AlignedReading
        permits AlignedReading.Baseline, AlignedReading.Interval, AlignedReading.Waiting, AlignedReading.Unusable {

    /** First usable cut: counting starts here. */
    record Baseline(long cutMillis, long lagMillis, long scrapeIntervalMillis) implements AlignedReading {
    }

    /** Increments of every counter between two cuts, canary and stable taken at the same instants. */
    record Interval(long fromMillis, long toMillis, long lagMillis, long scrapeIntervalMillis, IntervalCounts counts,
            int resets) implements AlignedReading {
    }

    /** The samples cannot be trusted as counters (not whole, going down, counted twice): the message says what to fix. */
    record Unusable(String message) implements AlignedReading {
    }

    /** Nothing to count yet (too few scrapes, rates changing at the candidate cut): try again at the next evaluation. */
    record Waiting(String reason) implements AlignedReading {
    }
}
