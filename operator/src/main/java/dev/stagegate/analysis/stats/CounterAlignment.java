package dev.stagegate.analysis.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Cuts canary and stable counters at one common instant and returns the increments since the previous cut.
 *
 * <p>Each pod is its own scrape target, so the revisions' sums reflect different instants. Taking "the latest value"
 * of each would pin the start or end of a shared incident on whichever revision was scraped later. Instead every
 * series is interpolated to the same cut, placed at the oldest latest-scrape among fresh series so that no series is
 * extrapolated. While a revision's bad-event share jumps in the scrape interval around the candidate cut (an incident
 * starting or ending), the cut waits a few scrapes for steady rates, so interpolation error cannot land on one side.
 */
public final class CounterAlignment {
    private final List<Signal> signals;
    private final Settings settings;

    public CounterAlignment(List<Signal> signals, Settings settings) {
        if (signals.isEmpty() || signals.stream().map(Signal::requests).distinct().count() != 1) {
            throw new IllegalArgumentException("signals must share one requests counter");
        }
        this.signals = List.copyOf(signals);
        this.settings = settings;
    }

    public CounterAlignment(List<Signal> signals) {
        this(signals, Settings.DEFAULT);
    }

    /** Counter names to read: the shared requests counter first, then each signal's. */
    public Set<String> counters() {
        Set<String> names = new LinkedHashSet<>();
        names.add(this.signals.get(0).requests());
        this.signals.forEach(s -> names.add(s.counter()));
        return names;
    }

    /**
     * @param previousCutMillis where the last counted interval ended, or null before the baseline
     * @param windowStartMillis start of the read window: series whose first sample comes well after it are new pods
     */
    public AlignedReading align(Map<String, List<CounterSeries>> canary, Map<String, List<CounterSeries>> stable,
            Long previousCutMillis, long windowStartMillis, long evaluationMillis) {
        Tracks canaryTracks = new Tracks();
        Tracks stableTracks = new Tracks();
        for (String counter : counters()) {
            Optional<String> problem = canaryTracks.add(counter, canary.getOrDefault(counter, List.of()))
                    .or(() -> stableTracks.add(counter, stable.getOrDefault(counter, List.of())));
            if (problem.isPresent()) {
                return new AlignedReading.Unusable(problem.get());
            }
        }

        List<CounterTrack> all = new ArrayList<>(canaryTracks.all());
        all.addAll(stableTracks.all());
        long scrape = medianScrapeInterval(all);
        if (scrape <= 0) {
            return new AlignedReading.Waiting("fewer than two scrapes of the counters so far");
        }
        // A series not scraped for 2.5 intervals is gone (pod deleted) or its target is down: ignore it for the cut.
        long staleBefore = evaluationMillis - 2 * scrape - scrape / 2;
        long cut = all.stream().mapToLong(CounterTrack::lastTime).filter(last -> last >= staleBefore).min()
                .orElse(Long.MAX_VALUE);
        if (cut == Long.MAX_VALUE) {
            return new AlignedReading.Waiting("no counter was scraped in the last "
                    + seconds(evaluationMillis - staleBefore) + ": is the target down?");
        }
        long lag = evaluationMillis - cut;
        if (previousCutMillis == null) {
            return new AlignedReading.Baseline(cut, lag, scrape);
        }
        long earliest = previousCutMillis + Math.round(settings.minScrapesPerInterval() * scrape);
        if (cut < earliest) {
            return new AlignedReading.Waiting("next interval closes after " + seconds(earliest - previousCutMillis)
                    + " of scrapes (scrape interval " + seconds(scrape) + ")");
        }
        // Waiting for steady rates is bounded so an incident that lasts cannot stall the check forever.
        if (cut - previousCutMillis < settings.maxWaitScrapes() * scrape) {
            Optional<String> moving = movingRates("stable", stableTracks, cut)
                    .or(() -> movingRates("canary", canaryTracks, cut));
            if (moving.isPresent()) {
                return new AlignedReading.Waiting(moving.get());
            }
        }

        // A series whose first sample is 1.5 scrapes into the window started inside it and counts from 0.
        long startsAfter = windowStartMillis + scrape + scrape / 2;
        String requests = signals.get(0).requests();
        double canaryRequests = canaryTracks.increment(requests, previousCutMillis, cut, startsAfter);
        double stableRequests = stableTracks.increment(requests, previousCutMillis, cut, startsAfter);
        double[] canaryBad = new double[signals.size()];
        double[] stableBad = new double[signals.size()];
        for (int i = 0; i < signals.size(); i++) {
            Signal s = signals.get(i);
            canaryBad[i] = bad(s, canaryRequests, canaryTracks.increment(s.counter(), previousCutMillis, cut, startsAfter));
            stableBad[i] = bad(s, stableRequests, stableTracks.increment(s.counter(), previousCutMillis, cut, startsAfter));
        }
        int resets = canaryTracks.resets(requests, previousCutMillis, cut) + stableTracks.resets(requests, previousCutMillis, cut);
        return new AlignedReading.Interval(previousCutMillis, cut, lag, scrape,
                new IntervalCounts(canaryRequests, stableRequests, canaryBad, stableBad), resets);
    }

    private static double bad(Signal s, double requests, double counter) {
        return Math.max(0.0, s.counterCountsGood() ? requests - counter : counter);
    }

    /**
     * A z-test on the bad-event share in the scrape interval just before the cut against the one containing it; a
     * significant and large change means an incident starts or ends right there.
     */
    private Optional<String> movingRates(String revision, Tracks tracks, long cut) {
        for (Signal s : this.signals) {
            double[] requests = tracks.zones(s.requests(), cut);
            double[] counter = tracks.zones(s.counter(), cut);
            double before = s.counterCountsGood() ? requests[0] - counter[0] : counter[0];
            double around = s.counterCountsGood() ? requests[1] - counter[1] : counter[1];
            double events = before + around;
            if (!(events <= 0.0) && !(requests[0] <= 0.0) && !(requests[1] <= 0.0)) {
                double share = requests[0] / (requests[0] + requests[1]);
                double z = (before - events * share) / Math.sqrt(events * share * (1.0 - share));
                double ratioBefore = before / requests[0];
                double ratioAround = around / requests[1];
                double factor = Math.max(ratioBefore, ratioAround) / Math.max(1.0E-12, Math.min(ratioBefore, ratioAround));
                if (Math.abs(z) > this.settings.steadyZ() && factor >= this.settings.steadyRatio()) {
                    return Optional.of(
                        String.format(
                            Locale.ROOT,
                            "waiting for steady rates: the %s revision's %s went from %.3g%% to %.3g%% of requests in the scrape interval around the candidate cut (an incident starting or ending?); cutting inside it could pin it on one revision",
                            revision,
                            s.name(),
                            100.0 * ratioBefore,
                            100.0 * ratioAround
                        )
                    );
                }
            }
        }

        return Optional.empty();
    }

    private static long medianScrapeInterval(List<CounterTrack> tracks) {
        long[] intervals = tracks.stream().mapToLong(CounterTrack::scrapeIntervalMillis).filter(v -> v > 0L).toArray();
        if (intervals.length == 0) {
            return 0L;
        } else {
            Arrays.sort(intervals);
            return intervals[intervals.length / 2];
        }
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.0fs", millis / 1000.0);
    }

    /**
     * @param steadyZ z-score above which the bad-event share before and around a cut differ
     * @param steadyRatio ... and by at least this factor
     * @param maxWaitScrapes give up waiting for steady rates after this many scrape intervals
     * @param minScrapesPerInterval shortest interval between cuts, in scrape intervals
     */
    public record Settings(double steadyZ, double steadyRatio, int maxWaitScrapes, double minScrapesPerInterval) {
        public static final Settings DEFAULT = new Settings(3.0, 1.5, 10, 1.0);
    }

    /** One revision's tracks per counter name. */
    private static final class Tracks {
        private final Map<String, List<CounterTrack>> byCounter = new LinkedHashMap<>();

        Optional<String> add(String counter, List<CounterSeries> series) {
            // The first counter added is the requests counter: its restarts tell bad-event counters' restarts apart.
            Set<Long> restarts = new HashSet<>();
            this.byCounter.values().stream().findFirst().ifPresent(requests -> requests.forEach(tx -> restarts.addAll(tx.restartTimes())));
            List<CounterTrack> tracks = new ArrayList<>();

            for (CounterSeries s : series) {
                CounterTrack t = CounterTrack.of(counter, s, restarts);
                if (!t.problems().isEmpty()) {
                    return Optional.of(t.problems().get(0));
                }

                if (!t.isEmpty()) {
                    tracks.add(t);
                }
            }

            this.byCounter.put(counter, tracks);
            return DoubleCounting.find(counter, series);
        }

        List<CounterTrack> all() {
            return this.byCounter.values().stream().flatMap(Collection::stream).toList();
        }

        double increment(String counter, long from, long to, long startsAfter) {
            double sum = 0.0;

            for (CounterTrack t : this.byCounter.getOrDefault(counter, List.of())) {
                boolean startsInWindow = t.firstTime() > startsAfter;
                sum += t.valueAt(to, startsInWindow) - t.valueAt(from, startsInWindow);
            }

            return sum;
        }

        int resets(String counter, long from, long to) {
            return this.byCounter.getOrDefault(counter, List.of()).stream().mapToInt(t -> t.resetsBetween(from, to)).sum();
        }

        double[] zones(String counter, long cut) {
            double[] sums = new double[2];

            for (CounterTrack t : this.byCounter.getOrDefault(counter, List.of())) {
                int i = t.indexAtOrBefore(cut);
                int end = i >= 0 && t.time(i) == cut ? i : i + 1;
                if (i >= 0 && end < t.size() && end >= 2) {
                    sums[0] += t.cumulative(end - 1) - t.cumulative(end - 2);
                    sums[1] += t.cumulative(end) - t.cumulative(end - 1);
                }
            }

            return sums;
        }
    }
}
