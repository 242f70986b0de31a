package dev.stagegate.analysis.stats;

import java.util.ArrayList;
import java.util.Arrays;
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
 * @param lastCanary canary cumulative counts at the previous usable reading; null before the first one
 * @param lastStable stable cumulative counts at the previous usable reading; null before the first one
 * @param canaryCounted canary requests and errors that entered the evidence (for display)
 * @param stableCounted stable requests and errors that entered the evidence (for display)
 * @param logRatiosWorse running log likelihood ratio per grid point of the "canary worse" mixture
 * @param logRatiosNoWorse running log likelihood ratio per grid point of the "canary no worse" mixture
 * @param decision sticky decision so far
 * @param intervals intervals whose errors entered the evidence
 * @param counterResets intervals skipped because a cumulative count went down
 */
public record SequentialState(
        double nullRateRatio,
        Counts lastCanary,
        Counts lastStable,
        Counts canaryCounted,
        Counts stableCounted,
        double[] logRatiosWorse,
        double[] logRatiosNoWorse,
        SequentialDecision decision,
        long intervals,
        long counterResets) {

    private static final String VERSION = "v1";

    public SequentialState {
        Objects.requireNonNull(canaryCounted, "canaryCounted");
        Objects.requireNonNull(stableCounted, "stableCounted");
        Objects.requireNonNull(decision, "decision");
        if (logRatiosWorse.length != OddsMixture.WORSE.size() || logRatiosNoWorse.length != OddsMixture.NO_WORSE.size()) {
            throw new IllegalArgumentException("evidence arrays do not match the mixture grid (state written by another version?)");
        }
        logRatiosWorse = logRatiosWorse.clone();
        logRatiosNoWorse = logRatiosNoWorse.clone();
    }

    /** Fresh state: no baseline, no evidence. */
    public static SequentialState initial(double nullRateRatio) {
        return new SequentialState(nullRateRatio, null, null, Counts.ZERO, Counts.ZERO,
                new double[OddsMixture.WORSE.size()], new double[OddsMixture.NO_WORSE.size()],
                SequentialDecision.CONTINUE, 0, 0);
    }

    @Override
    public double[] logRatiosWorse() {
        return logRatiosWorse.clone();
    }

    @Override
    public double[] logRatiosNoWorse() {
        return logRatiosNoWorse.clone();
    }

    boolean hasBaseline() {
        return lastCanary != null && lastStable != null;
    }

    /**
     * A single line of text, e.g. {@code v1;rho0=1.2;lastCanary=100.0,2.0;...}. Doubles are written with
     * {@link Double#toString(double)}, which parses back to the identical value, so a decoded state continues
     * bit-for-bit identically.
     */
    public String encode() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("rho0", Double.toString(nullRateRatio));
        fields.put("lastCanary", encodeCounts(lastCanary));
        fields.put("lastStable", encodeCounts(lastStable));
        fields.put("canaryCounted", encodeCounts(canaryCounted));
        fields.put("stableCounted", encodeCounts(stableCounted));
        fields.put("worse", encodeArray(logRatiosWorse));
        fields.put("noWorse", encodeArray(logRatiosNoWorse));
        fields.put("decision", decision.name());
        fields.put("intervals", Long.toString(intervals));
        fields.put("counterResets", Long.toString(counterResets));
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
            return new SequentialState(
                    Double.parseDouble(required(fields, "rho0")),
                    decodeCounts(required(fields, "lastCanary")),
                    decodeCounts(required(fields, "lastStable")),
                    Objects.requireNonNull(decodeCounts(required(fields, "canaryCounted")), "canaryCounted"),
                    Objects.requireNonNull(decodeCounts(required(fields, "stableCounted")), "stableCounted"),
                    decodeArray(required(fields, "worse")),
                    decodeArray(required(fields, "noWorse")),
                    SequentialDecision.valueOf(required(fields, "decision")),
                    Long.parseLong(required(fields, "intervals")),
                    Long.parseLong(required(fields, "counterResets")));
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
        String[] pair = text.split(",");
        if (pair.length != 2) {
            throw new IllegalArgumentException("malformed counts: " + text);
        }
        return new Counts(Double.parseDouble(pair[0]), Double.parseDouble(pair[1]));
    }

    private static String encodeArray(double[] values) {
        List<String> parts = new ArrayList<>(values.length);
        for (double v : values) {
            parts.add(Double.toString(v));
        }
        return String.join(",", parts);
    }

    private static double[] decodeArray(String text) {
        String[] parts = text.split(",");
        double[] values = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Double.parseDouble(parts[i]);
        }
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SequentialState other
                && Double.compare(nullRateRatio, other.nullRateRatio) == 0
                && Objects.equals(lastCanary, other.lastCanary)
                && Objects.equals(lastStable, other.lastStable)
                && canaryCounted.equals(other.canaryCounted)
                && stableCounted.equals(other.stableCounted)
                && Arrays.equals(logRatiosWorse, other.logRatiosWorse)
                && Arrays.equals(logRatiosNoWorse, other.logRatiosNoWorse)
                && decision == other.decision
                && intervals == other.intervals
                && counterResets == other.counterResets;
    }

    @Override
    public int hashCode() {
        return Objects.hash(nullRateRatio, lastCanary, lastStable, canaryCounted, stableCounted,
                Arrays.hashCode(logRatiosWorse), Arrays.hashCode(logRatiosNoWorse), decision, intervals, counterResets);
    }

    @Override
    public String toString() {
        return "SequentialState[" + encode() + "]";
    }
}
