package dev.stagegate.analysis.stats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * One counter series turned into a cumulative count over time: resets (a pod restarting from zero) are detected from
 * the samples and stitched, values that no counter can produce (not whole, negative, going down without starting over)
 * are reported as problems. Between samples the count is interpolated linearly, so canary and stable can be cut at the
 * same instant although their pods are scraped at different ones.
 */
final class CounterTrack {
    /** More resets than this in one read window: a gauge, not a counter restarting now and then. */
    static final int MAX_RESETS_PER_WINDOW = 3;
    private final CounterSeries series;
    private final long[] times;
    private final double[] cumulative;
    private final int resets;
    private final List<String> problems;

    private CounterTrack(CounterSeries series, long[] times, double[] cumulative, int resets, List<String> problems) {
        this.series = series;
        this.times = times;
        this.cumulative = cumulative;
        this.resets = resets;
        this.problems = List.copyOf(problems);
    }

    static CounterTrack of(String counter, CounterSeries series) {
        return of(counter, series, Set.of());
    }

    /**
     * @param restartTimes instants at which the requests counter of the same revision restarted; a bad-event counter
     *     that goes down at those instants restarted too, however high it starts again
     */
    static CounterTrack of(String counter, CounterSeries series, Set<Long> restartTimes) {
        List<CounterSample> samples = series.samples();
        int n = samples.size();
        long[] times = new long[n];
        double[] raw = new double[n];
        List<String> problems = new ArrayList<>();

        for (int i = 0; i < n; i++) {
            times[i] = samples.get(i).timeMillis();
            raw[i] = samples.get(i).value();
            if (!Double.isFinite(raw[i]) || raw[i] < 0.0) {
                problems.add(
                    String.format(
                        Locale.ROOT,
                        "%s series %s read %s at %s: a counter is a finite count >= 0",
                        counter,
                        series.describe(),
                        raw[i],
                        Instant.ofEpochMilli(times[i])
                    )
                );
            } else if (Math.abs(raw[i] - Math.rint(raw[i])) > 1.0E-6) {
                problems.add(
                    String.format(
                        Locale.ROOT,
                        "%s series %s read %s at %s, not a whole number: the check needs counts of requests (a counter such as http_requests_total), not a rate, ratio or extrapolated increase()",
                        counter,
                        series.describe(),
                        raw[i],
                        Instant.ofEpochMilli(times[i])
                    )
                );
            }
        }

        if (!problems.isEmpty()) {
            return new CounterTrack(series, times, raw, 0, problems.subList(0, 1));
        } else {
            // The fastest increase seen between two samples bounds what a fresh counter can have reached by the next
            // scrape; a "reset" to more than that was not a restart but a value that went down.
            double fastest = Double.NaN;

            for (int i = 1; i < n; i++) {
                if (raw[i] >= raw[i - 1]) {
                    double perMilli = (raw[i] - raw[i - 1]) / (times[i] - times[i - 1]);
                    fastest = Double.isNaN(fastest) ? perMilli : Math.max(fastest, perMilli);
                }
            }

            double[] cumulative = new double[n];
            double offset = 0.0;
            int resets = 0;

            for (int i = 0; i < n; i++) {
                if (i > 0 && raw[i] < raw[i - 1]) {
                    double possible = Double.isNaN(fastest) ? Double.POSITIVE_INFINITY : fastest * (times[i] - times[i - 1]);
                    if (!restartTimes.contains(times[i]) && raw[i] > possible + 5.0 * Math.sqrt(possible) + 10.0) {
                        problems.add(
                            String.format(
                                Locale.ROOT,
                                "%s series %s went down from %.0f to %.0f at %s without starting over from zero: not a counter (a gauge, or a query that is not cumulative?); the check needs a counter such as http_requests_total",
                                counter,
                                series.describe(),
                                raw[i - 1],
                                raw[i],
                                Instant.ofEpochMilli(times[i])
                            )
                        );
                        break;
                    }

                    offset += raw[i - 1];
                    resets++;
                }

                cumulative[i] = offset + raw[i];
            }

            if (problems.isEmpty() && resets > MAX_RESETS_PER_WINDOW) {
                problems.add(
                    String.format(
                        Locale.ROOT,
                        "%s series %s went down %d times in %d samples: counters only go up (apart from a rare restart); is it a gauge?",
                        counter,
                        series.describe(),
                        resets,
                        n
                    )
                );
            }

            return new CounterTrack(series, times, cumulative, resets, problems);
        }
    }

    CounterSeries series() {
        return this.series;
    }

    List<String> problems() {
        return this.problems;
    }

    boolean isEmpty() {
        return this.times.length == 0;
    }

    int resets() {
        return this.resets;
    }

    Set<Long> restartTimes() {
        Set<Long> restarts = new TreeSet<>();
        List<CounterSample> samples = this.series.samples();

        for (int i = 1; i < samples.size(); i++) {
            if (samples.get(i).value() < samples.get(i - 1).value()) {
                restarts.add(this.times[i]);
            }
        }

        return restarts;
    }

    int resetsBetween(long from, long to) {
        int count = 0;
        List<CounterSample> samples = this.series.samples();

        for (int i = 1; i < samples.size(); i++) {
            if (this.times[i] > from && this.times[i] <= to && samples.get(i).value() < samples.get(i - 1).value()) {
                count++;
            }
        }

        return count;
    }

    long firstTime() {
        return this.times[0];
    }

    long lastTime() {
        return this.times[this.times.length - 1];
    }

    long scrapeIntervalMillis() {
        if (this.times.length < 2) {
            return 0L;
        } else {
            long[] gaps = new long[this.times.length - 1];

            for (int i = 1; i < this.times.length; i++) {
                gaps[i - 1] = this.times[i] - this.times[i - 1];
            }

            Arrays.sort(gaps);
            return gaps[gaps.length / 2];
        }
    }

    /**
     * Cumulative count at {@code t}, interpolated between samples. Before the first sample it is 0 for a series that
     * started inside the read window (a new pod counting from zero) and the first value otherwise.
     */
    double valueAt(long t, boolean startsInWindow) {
        if (t < this.times[0]) {
            return startsInWindow ? 0.0 : this.cumulative[0];
        } else {
            int n = this.times.length;
            if (t >= this.times[n - 1]) {
                return this.cumulative[n - 1];
            } else {
                int i = Arrays.binarySearch(this.times, t);
                if (i >= 0) {
                    return this.cumulative[i];
                } else {
                    int after = -i - 1;
                    int before = after - 1;
                    double share = (double)(t - this.times[before]) / (this.times[after] - this.times[before]);
                    return this.cumulative[before] + share * (this.cumulative[after] - this.cumulative[before]);
                }
            }
        }
    }

    int indexAtOrBefore(long t) {
        int i = Arrays.binarySearch(this.times, t);
        return i >= 0 ? i : -i - 2;
    }

    long time(int index) {
        return this.times[index];
    }

    double cumulative(int index) {
        return this.cumulative[index];
    }

    int size() {
        return this.times.length;
    }
}
