package dev.stagegate.analysis.stats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a {@link SequentialErrorCheck} carries from one evaluation to the next. Store {@link #encode()} in the
 * Release status and {@link #decode(String)} it after an operator restart: the check then continues exactly where it
 * was, without counting any interval twice.
 *
 * @param nullRateRatio rho0 = 1 + maxRelativeIncrease the evidence was computed for
 * @param falseRollbackRate alpha the evidence was judged with; a change restarts the evidence
 * @param falsePromotionRate beta the evidence was judged with; a change restarts the evidence
 * @param lastCanary canary cumulative counts at the previous usable reading (summed-counter input); null otherwise
 * @param lastStable stable cumulative counts at the previous usable reading (summed-counter input); null otherwise
 * @param lastCutMillis where the last counted interval ended (raw-sample input); null before the baseline
 * @param counted requests and bad events per signal that entered the evidence (for display)
 * @param evidence running log likelihood ratios per signal
 * @param decision sticky decision so far
 * @param intervals intervals whose errors entered the evidence
 * @param counterResets counter resets seen (summed input: intervals skipped; raw samples: resets stitched)
 * @param restarts how often the evidence was started over (resume, retry, changed parameters)
 */
public record SequentialState(
        double nullRateRatio,
        double falseRollbackRate,
        double falsePromotionRate,
        Counts lastCanary,
        Counts lastStable,
        Long lastCutMillis,
        IntervalCounts counted,
        Evidence evidence,
        SequentialDecision decision,
        long intervals,
        long counterResets,
        long restarts) {

    /** v2 adds alpha, beta, the cut, several signals and restarts; a v1 state is refused and the evidence restarts. */
    private static final String VERSION = "v2";

    public SequentialState {
        Objects.requireNonNull(counted, "counted");
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(decision, "decision");
        if (counted.signals() != evidence.signals()) {
            throw new IllegalArgumentException("counted and evidence disagree on the number of signals");
        }
    }

    /** Fresh state: no baseline, no evidence. */
    public static SequentialState initial(SequentialConfig config, int signals) {
        return new SequentialState(config.nullRateRatio(), config.falseRollbackRate(), config.falsePromotionRate(),
                null, null, null, zero(signals), Evidence.none(signals), SequentialDecision.CONTINUE, 0, 0, 0);
    }

    static IntervalCounts zero(int signals) {
        return new IntervalCounts(0, 0, new double[signals], new double[signals]);
    }

    public int signals() {
        return evidence.signals();
    }

    /** Requests and bad events of the first signal (errors) counted for the canary. */
    public Counts canaryCounted() {
        return Counts.of(counted.canaryRequests(), counted.canaryBad(0));
    }

    public Counts stableCounted() {
        return Counts.of(counted.stableRequests(), counted.stableBad(0));
    }

    /** Log ratios of the first signal's "worse" mixture. */
    public double[] logRatiosWorse() {
        return evidence.worse()[0];
    }

    public double[] logRatiosNoWorse() {
        return evidence.noWorse()[0];
    }

    boolean hasCumulativeBaseline() {
        return lastCanary != null && lastStable != null;
    }

    boolean sameParameters(SequentialConfig config) {
        return Double.compare(nullRateRatio, config.nullRateRatio()) == 0
                && Double.compare(falseRollbackRate, config.falseRollbackRate()) == 0
                && Double.compare(falsePromotionRate, config.falsePromotionRate()) == 0;
    }

    SequentialState withCumulativeBaseline(Counts canary, Counts stable, int resets) {
        return new SequentialState(nullRateRatio, falseRollbackRate, falsePromotionRate, canary, stable, lastCutMillis,
                counted, evidence, decision, intervals, counterResets + resets, restarts);
    }

    SequentialState withCut(long cutMillis, int resets) {
        return new SequentialState(nullRateRatio, falseRollbackRate, falsePromotionRate, lastCanary, lastStable,
                cutMillis, counted, evidence, decision, intervals, counterResets + resets, restarts);
    }

    SequentialState withRestarts(long count) {
        return new SequentialState(nullRateRatio, falseRollbackRate, falsePromotionRate, lastCanary, lastStable,
                lastCutMillis, counted, evidence, decision, intervals, counterResets, count);
    }

    /**
     * A single line of text, e.g. {@code v2;rho0=1.2;alpha=0.01;...}. Doubles are written with
     * {@link Double#toString(double)}, which parses back to the identical value, so a decoded state continues
     * bit-for-bit identically.
     */
    public String encode() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("rho0", Double.toString(nullRateRatio));
        fields.put("alpha", Double.toString(falseRollbackRate));
        fields.put("beta", Double.toString(falsePromotionRate));
        fields.put("lastCanary", encodeCounts(lastCanary));
        fields.put("lastStable", encodeCounts(lastStable));
        fields.put("lastCut", lastCutMillis == null ? "-" : Long.toString(lastCutMillis));
        fields.put("counted", counted.canaryRequests() + "," + counted.stableRequests()
                + "|" + join(counted.canaryBad()) + "|" + join(counted.stableBad()));
        fields.put("worse", encodeGrid(evidence.worse()));
        fields.put("noWorse", encodeGrid(evidence.noWorse()));
        fields.put("expected", encodeGrid(evidence.expected()));
        fields.put("decision", decision.name());
        fields.put("intervals", Long.toString(intervals));
        fields.put("counterResets", Long.toString(counterResets));
        fields.put("restarts", Long.toString(restarts));
        StringBuilder out = new StringBuilder(VERSION);
        fields.forEach((key, value) -> out.append(';').append(key).append('=').append(value));
        return out.toString();
    }

    /** Inverse of {@link #encode()}; throws IllegalArgumentException on anything it did not write. */
    public static SequentialState decode(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty sequential state");
        }
        String[] parts = text.trim().split(";");
        if (!VERSION.equals(parts[0])) {
            throw new IllegalArgumentException("unsupported sequential state version: " + parts[0]);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("malformed sequential state field: " + parts[i]);
            }
            fields.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
        }
        try {
            String[] counted = required(fields, "counted").split("\\|", -1);
            if (counted.length != 3) {
                throw new IllegalArgumentException("malformed counted: " + fields.get("counted"));
            }
            double[] requests = decodeArray(counted[0]);
            if (requests.length != 2) {
                throw new IllegalArgumentException("malformed counted requests: " + counted[0]);
            }
            String cut = required(fields, "lastCut");
            return new SequentialState(
                    Double.parseDouble(required(fields, "rho0")),
                    Double.parseDouble(required(fields, "alpha")),
                    Double.parseDouble(required(fields, "beta")),
                    decodeCounts(required(fields, "lastCanary")),
                    decodeCounts(required(fields, "lastStable")),
                    "-".equals(cut) ? null : Long.parseLong(cut),
                    new IntervalCounts(requests[0], requests[1], decodeArray(counted[1]), decodeArray(counted[2])),
                    new Evidence(decodeGrid(required(fields, "worse")), decodeGrid(required(fields, "noWorse")),
                            decodeGrid(required(fields, "expected"))),
                    SequentialDecision.valueOf(required(fields, "decision")),
                    Long.parseLong(required(fields, "intervals")),
                    Long.parseLong(required(fields, "counterResets")),
                    Long.parseLong(required(fields, "restarts")));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("malformed sequential state: " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> fields, String key) {
        String value = fields.get(key);
        if (value == null) {
            throw new IllegalArgumentException("sequential state lacks field " + key);
        }
        return value;
    }

    private static String encodeCounts(Counts counts) {
        return counts == null ? "-" : counts.requests() + "," + counts.errors();
    }

    private static Counts decodeCounts(String text) {
        if ("-".equals(text)) {
            return null;
        }
        double[] pair = decodeArray(text);
        if (pair.length != 2) {
            throw new IllegalArgumentException("malformed counts: " + text);
        }
        return new Counts(pair[0], pair[1]);
    }

    /** Rows (one per signal) separated by '|', values by ','. */
    private static String encodeGrid(double[][] grid) {
        List<String> rows = new ArrayList<>(grid.length);
        for (double[] row : grid) {
            rows.add(join(row));
        }
        return String.join("|", rows);
    }

    private static double[][] decodeGrid(String text) {
        String[] rows = text.split("\\|", -1);
        double[][] grid = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            grid[i] = decodeArray(rows[i]);
        }
        return grid;
    }

    private static String join(double[] values) {
        List<String> parts = new ArrayList<>(values.length);
        for (double v : values) {
            parts.add(Double.toString(v));
        }
        return String.join(",", parts);
    }

    private static double[] decodeArray(String text) {
        if (text.isEmpty()) {
            return new double[0];
        }
        String[] parts = text.split(",");
        double[] values = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Double.parseDouble(parts[i]);
        }
        return values;
    }

    @Override
    public String toString() {
        return "SequentialState[" + encode() + "]";
    }
}
