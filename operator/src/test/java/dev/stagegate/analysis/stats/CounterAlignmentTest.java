package dev.stagegate.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.analysis.stats.AlignedReading.Baseline;
import dev.stagegate.analysis.stats.AlignedReading.Interval;
import dev.stagegate.analysis.stats.AlignedReading.Unusable;
import dev.stagegate.analysis.stats.AlignedReading.Waiting;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Counts of both revisions over one common stretch of time")
class CounterAlignmentTest {
    private static final long SCRAPE = 15000L;
    private static final double RPS = 1000.0;
    private final CounterAlignment alignment = new CounterAlignment(List.of(Signal.errors()));

    static Map<String, List<CounterSeries>> read(List<Pod> pods, long fromMillis, long untilMillis) {
        Map<String, List<CounterSeries>> out = new HashMap<>();

        for (Pod p : pods) {
            p.read(fromMillis, untilMillis).forEach((k, v) -> out.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }

        return out;
    }

    private static double incident(double t) {
        return t >= 100.0 && t < 400.0 ? 0.21 : 0.01;
    }

    @Test
    @DisplayName("given a shared incident and pods scraped at different offsets, when counts are read at a common cut, then canary and stable show the same error ratio in every interval, where summed latest samples blame the canary")
    void sharedIncidentIsNotPinnedOnTheCanary() {
        List<Pod> canary = List.of(new Pod("canary-1", 14000L, CounterAlignmentTest::incident));
        List<Pod> stable = List.of(
            new Pod("stable-1", 1000L, CounterAlignmentTest::incident),
            new Pod("stable-2", 2000L, CounterAlignmentTest::incident),
            new Pod("stable-3", 3000L, CounterAlignmentTest::incident)
        );
        Long cut = null;
        int intervals = 0;
        int waitedForSteadyRates = 0;
        double worstSummedRatio = 0.0;
        double[] lastSummed = null;

        for (long t = 30000L; t <= 600000L; t += 15000L) {
            long from = cut == null ? t - 300000L : cut - 45000L;
            AlignedReading r = this.alignment.align(read(canary, from, t), read(stable, from, t), cut, from, t);
            double[] summed = summedLatest(canary, stable, t);
            if (lastSummed != null) {
                double c = (summed[1] - lastSummed[1]) / (summed[0] - lastSummed[0]);
                double s = (summed[3] - lastSummed[3]) / (summed[2] - lastSummed[2]);
                worstSummedRatio = Math.max(worstSummedRatio, c / s);
            }

            lastSummed = summed;
            if (r instanceof Waiting w) {
                waitedForSteadyRates += w.reason().contains("steady rates") ? 1 : 0;
            } else if (r instanceof Baseline b) {
                cut = b.cutMillis();
            } else {
                Interval i = (Interval) r;
                IntervalCounts counts = i.counts();
                double canaryRatio = counts.canaryBad(0) / counts.canaryRequests();
                double stableRatio = counts.stableBad(0) / counts.stableRequests();
                assertThat(canaryRatio / stableRatio)
                        .as("canary/stable error ratio in (%d, %d]", i.fromMillis(), i.toMillis())
                    .isBetween(0.85, 1.15);
                assertThat(i.toMillis()).isLessThanOrEqualTo(t);
                cut = i.toMillis();
                intervals++;
            }
        }

        assertThat(worstSummedRatio)
                .as("summed latest samples: the canary looks several times worse at the onset")
            .isGreaterThan(3.0);
        assertThat(waitedForSteadyRates).as("cuts waited while the incident started or ended").isPositive();
        assertThat(intervals).isGreaterThan(20);
    }

    private static double[] summedLatest(List<Pod> canary, List<Pod> stable, long t) {
        double[] out = new double[4];

        for (int side = 0; side < 2; side++) {
            for (Pod p : side == 0 ? canary : stable) {
                long last = p.offsetMillis() + (t - p.offsetMillis()) / 15000L * 15000L;
                out[2 * side] = out[2 * side] + Math.floor(p.requests(last / 1000.0));
                out[2 * side + 1] = out[2 * side + 1] + Math.floor(p.errors(last / 1000.0));
            }
        }

        return out;
    }

    @Test
    @DisplayName("the first reading sets the cut behind the evaluation time by the measured scrape lag; no new scrape since the cut means waiting")
    void baselineThenWaiting() {
        List<Pod> canary = List.of(new Pod("c", 5000L, t -> 0.01));
        List<Pod> stable = List.of(new Pod("s", 11000L, t -> 0.01));
        AlignedReading first = this.alignment.align(read(canary, 0L, 60000L), read(stable, 0L, 60000L), null, 0L, 60000L);
        assertThat(first).isEqualTo(new Baseline(50000L, 10000L, 15000L));
        AlignedReading again = this.alignment.align(read(canary, 0L, 62000L), read(stable, 0L, 62000L), 50000L, 0L, 62000L);
        assertThat(again).isInstanceOf(Waiting.class);
        assertThat(((Waiting) again).reason()).contains("next interval closes after 15s");
    }

    @Test
    @DisplayName("given a canary pod that restarts mid-interval, then its counts are the true counts: the reset is accounted for, not dropped")
    void resetInsideAnIntervalIsCounted() {
        Pod restarting = new Pod("c", 5000L, t -> 0.05, 70.0);
        List<Pod> stable = List.of(new Pod("s", 5000L, t -> 0.01));
        AlignedReading r = this.alignment.align(read(List.of(restarting), 0L, 125000L), read(stable, 0L, 125000L), 50000L, 0L, 125000L);
        Interval i = (Interval) r;
        assertThat(i.resets()).isEqualTo(1);
        assertThat(i.toMillis()).isEqualTo(125000L);
        double beforeRestart = Math.floor(restarting.requests(65.0)) - Math.floor(restarting.requests(50.0));
        assertThat(i.counts().canaryRequests()).isEqualTo(beforeRestart + Math.floor(restarting.requests(125.0)), Offset.offset(0.5));
    }

    @Test
    @DisplayName("given a pod that goes away and a new one that starts, then the gone pod counts until its last scrape and the new one from zero")
    void podsComeAndGo() {
        Pod gone = new Pod("s-old", 5000L, t -> 0.01);
        Pod fresh = new Pod("s-new", 8000L, t -> 0.01);
        List<Pod> canary = List.of(new Pod("c", 5000L, t -> 0.01));
        Map<String, List<CounterSeries>> stable = new HashMap<>();
        gone.read(0L, 65000L).forEach((k, v) -> stable.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        Pod freshFromZero = new Pod("s-new", 8000L, t -> 0.01, 70.0);
        freshFromZero.read(70000L, 140000L).forEach((k, v) -> stable.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        AlignedReading r = this.alignment.align(read(canary, 0L, 139000L), stable, 50000L, 0L, 139000L);
        Interval i = (Interval) r;
        assertThat(i.toMillis()).as("the cut ignores the gone pod").isEqualTo(125000L);
        double goneCounts = Math.floor(gone.requests(65.0)) - Math.floor(gone.requests(50.0));
        double freshCounts = Math.floor(freshFromZero.requests(113.0)) + (freshFromZero.requests(128.0) - freshFromZero.requests(113.0)) * 12.0 / 15.0;
        assertThat(i.counts().stableRequests()).isCloseTo(goneCounts + freshCounts, Offset.offset(1.0));
        assertThat(fresh.name()).isEqualTo("s-new");
    }

    @Test
    @DisplayName("given readings that cannot be counts, then the reading is unusable with a message saying what to fix")
    void unusableReadings() {
        List<Pod> stable = List.of(new Pod("s", 5000L, t -> 0.01));
        Map<String, List<CounterSeries>> doubled = read(List.of(new Pod("c", 5000L, t -> 0.01)), 0L, 60000L);
        Map<String, List<CounterSeries>> reporters = new HashMap<>();
        doubled.forEach((k, list) -> {
            List<CounterSeries> both = new ArrayList<>();

            for (CounterSeries s : list) {
                Map<String, String> src = new HashMap<>(s.labels());
                src.put("reporter", "source");
                Map<String, String> dst = new HashMap<>(s.labels());
                dst.put("reporter", "destination");
                both.add(new CounterSeries(src, s.samples()));
                both.add(new CounterSeries(dst, s.samples()));
            }

            reporters.put(k, both);
        });
        AlignedReading r = this.alignment.align(reporters, read(stable, 0L, 60000L), null, 0L, 60000L);
        assertThat(r).isInstanceOf(Unusable.class);
        assertThat(((Unusable) r).message()).contains("once per reporter");
    }

    @Test
    @DisplayName("given histogram buckets, then requests slower than a bucket are the count minus the bucket")
    void slowRequestsFromBuckets() {
        CounterAlignment latency = new CounterAlignment(List.of(Signal.slowerThan("0.5"), Signal.slowerThan("1")));
        Map<String, List<CounterSeries>> canary = Map.of(
            "count",
            List.of(CounterTrackTest.series(Map.of(), 0L, 15000L, 0.0, 1000.0, 2000.0)),
            Signal.bucket("0.5"),
            List.of(CounterTrackTest.series(Map.of(), 0L, 15000L, 0.0, 850.0, 1700.0)),
            Signal.bucket("1"),
            List.of(CounterTrackTest.series(Map.of(), 0L, 15000L, 0.0, 975.0, 1950.0))
        );
        Map<String, List<CounterSeries>> stable = Map.of(
            "count",
            List.of(CounterTrackTest.series(Map.of(), 0L, 15000L, 0.0, 9000.0, 18000.0)),
            Signal.bucket("0.5"),
            List.of(CounterTrackTest.series(Map.of(), 0L, 15000L, 0.0, 8900.0, 17800.0)),
            Signal.bucket("1"),
            List.of(CounterTrackTest.series(Map.of(), 0L, 15000L, 0.0, 8990.0, 17980.0))
        );
        Interval i = (Interval) latency.align(canary, stable, 0L, 0L, 30000L);
        assertThat(latency.counters()).containsExactly(new String[]{"count", "le=0.5", "le=1"});
        assertThat(i.counts()).isEqualTo(new IntervalCounts(2000.0, 18000.0, new double[]{300.0, 50.0}, new double[]{200.0, 20.0}));
    }

    record Pod(String name, long offsetMillis, DoubleUnaryOperator errorRatio, double restartAtSeconds) {
        Pod(String name, long offsetMillis, DoubleUnaryOperator errorRatio) {
            this(name, offsetMillis, errorRatio, Double.NaN);
        }

        double requests(double t) {
            return 1000.0 * this.since(t);
        }

        double errors(double t) {
            double from = !Double.isNaN(this.restartAtSeconds) && !(t < this.restartAtSeconds) ? this.restartAtSeconds : 0.0;
            double sum = 0.0;

            for (double s = from; s < t; s += 0.1) {
                sum += 100.0 * this.errorRatio.applyAsDouble(s);
            }

            return sum;
        }

        private double since(double t) {
            return !Double.isNaN(this.restartAtSeconds) && !(t < this.restartAtSeconds) ? t - this.restartAtSeconds : t;
        }

        Map<String, CounterSeries> read(long fromMillis, long untilMillis) {
            List<CounterSample> requests = new ArrayList<>();
            List<CounterSample> errors = new ArrayList<>();

            for (long t = this.offsetMillis; t <= untilMillis; t += 15000L) {
                if (t > fromMillis) {
                    requests.add(new CounterSample(t, Math.floor(this.requests(t / 1000.0))));
                    errors.add(new CounterSample(t, Math.floor(this.errors(t / 1000.0))));
                }
            }

            return Map.of(
                "requests", new CounterSeries(Map.of("pod", this.name), requests), "errors", new CounterSeries(Map.of("pod", this.name, "code", "500"), errors)
            );
        }
    }
}
