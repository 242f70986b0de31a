package dev.stagegate.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Requests counted twice")
class DoubleCountingTest {
    @Test
    @DisplayName("given Istio series from both reporters, then the fix says to select one reporter")
    void meshReportersAreFound() {
        List<CounterSeries> both = List.of(
            CounterTrackTest.series(Map.of("reporter", "source", "pod", "client-1"), 0L, 15000L, 10.0, 20.0),
            CounterTrackTest.series(Map.of("reporter", "destination", "pod", "checkout-1"), 5000L, 15000L, 10.0, 21.0)
        );
        assertThat(DoubleCounting.find("requests", both))
            .get()
            .asString()
            .contains("once per reporter", "[destination, source]", "reporter=\"destination\"");
        assertThat(DoubleCounting.find("requests", both.subList(1, 2))).isEmpty();
    }

    @Test
    @DisplayName("given Linkerd series in both directions, then they are found")
    void linkerdDirectionsAreFound() {
        List<CounterSeries> both = List.of(
            CounterTrackTest.series(Map.of("direction", "inbound"), 0L, 1L, 4.0), CounterTrackTest.series(Map.of("direction", "outbound"), 0L, 1L, 4.0)
        );
        assertThat(DoubleCounting.find("errors", both)).get().asString().contains("both directions");
    }

    @Test
    @DisplayName("given one pod scraped by two jobs, then the duplicate is found; different pods are not duplicates")
    void sameTargetInTwoJobsIsFound() {
        CounterSeries viaService = CounterTrackTest.series(Map.of("job", "checkout", "instance", "10.0.0.7:8080", "pod", "p1"), 0L, 15000L, 40.0, 50.0);
        CounterSeries viaPodMonitor = CounterTrackTest.series(
            Map.of("job", "podmonitor/checkout", "instance", "10.0.0.7:8080", "pod", "p1"), 3000L, 30000L, 40.0, 52.0
        );
        CounterSeries otherPod = CounterTrackTest.series(Map.of("job", "checkout", "instance", "10.0.0.8:8080", "pod", "p2"), 0L, 15000L, 40.0, 50.0);
        assertThat(DoubleCounting.find("requests", List.of(viaService, viaPodMonitor)))
            .get()
            .asString()
            .contains("scraped twice", "podmonitor/checkout");
        assertThat(DoubleCounting.find("requests", List.of(viaService, otherPod))).isEmpty();
    }
}
