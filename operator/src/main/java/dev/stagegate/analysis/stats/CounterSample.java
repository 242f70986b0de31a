package dev.stagegate.analysis.stats;

/** One raw sample of a counter: the value a scrape read, at the scrape's timestamp. */
public record CounterSample(long timeMillis, double value) {
}
