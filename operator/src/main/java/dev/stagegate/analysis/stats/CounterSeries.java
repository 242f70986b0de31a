package dev.stagegate.analysis.stats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** One time series of a counter (one pod, one label set) with its raw samples in time order. */
public record CounterSeries(Map<String, String> labels, List<CounterSample> samples) {

    public CounterSeries {
        labels = new TreeMap<>(labels);
        List<CounterSample> sorted = new ArrayList<>(samples);
        sorted.sort(Comparator.comparingLong(CounterSample::timeMillis));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).timeMillis() == sorted.get(i - 1).timeMillis()) {
                throw new IllegalArgumentException("two samples at the same instant in series " + describe(labels));
            }
        }
        samples = List.copyOf(sorted);
    }

    public static CounterSeries of(Map<String, String> labels, long[] times, double[] values) {
        List<CounterSample> samples = new ArrayList<>(times.length);
        for (int i = 0; i < times.length; i++) {
            samples.add(new CounterSample(times[i], values[i]));
        }
        return new CounterSeries(labels, samples);
    }

    /** PromQL-style label set, e.g. {@code {pod="a", revision="r2"}}, for messages. */
    public String describe() {
        return describe(labels);
    }

    static String describe(Map<String, String> labels) {
        return labels.entrySet().stream()
                .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
