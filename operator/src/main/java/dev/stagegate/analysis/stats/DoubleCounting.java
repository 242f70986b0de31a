package dev.stagegate.analysis.stats;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Finds a counter that counts each request more than once: a mesh reporting every request at source and destination,
 * both directions summed, or one target scraped by two jobs. Counting every event twice doubles the evidence per
 * error and breaks the false-rollback bound, so the check refuses such counts and says which label to select.
 */
public final class DoubleCounting {
    /** Labels that only say who scraped a series; two series differing only in these are the same counter. */
    private static final Set<String> SCRAPE_LABELS = Set.of("job", "endpoint", "service");

    private DoubleCounting() {
    }

    public static Optional<String> find(String counter, List<CounterSeries> series) {
        Set<String> reporters = values(series, "reporter");
        if (reporters.size() > 1) {
            return Optional.of(
                counter + " counts every request once per reporter (reporter=" + reporters + "): select one, e.g. add reporter=\"destination\" to the query"
            );
        } else {
            Set<String> directions = values(series, "direction");
            if (directions.contains("inbound") && directions.contains("outbound")) {
                return Optional.of(
                    counter + " counts every request in both directions (direction=" + directions + "): select one, e.g. add direction=\"inbound\" to the query"
                );
            } else {
                Map<Map<String, String>, String> seen = new HashMap<>();

                for (CounterSeries s : series) {
                    // Series that never counted anything cannot double-count.
                    if (!s.samples().isEmpty() && s.samples().get(s.samples().size() - 1).value() > 0.0) {
                        Map<String, String> identity = new TreeMap<>(s.labels());
                        identity.keySet().removeAll(SCRAPE_LABELS);
                        String other = seen.putIfAbsent(identity, s.describe());
                        if (other != null) {
                            return Optional.of(
                                counter
                                    + " has the same series scraped twice ("
                                    + other
                                    + " and "
                                    + s.describe()
                                    + "): one target in two scrape jobs; select one job in the query or drop the duplicate job"
                            );
                        }
                    }
                }

                return Optional.empty();
            }
        }
    }

    private static Set<String> values(List<CounterSeries> series, String label) {
        Set<String> values = new TreeSet<>();

        for (CounterSeries s : series) {
            String v = s.labels().get(label);
            if (v != null) {
                values.add(v);
            }
        }

        return values;
    }
}
