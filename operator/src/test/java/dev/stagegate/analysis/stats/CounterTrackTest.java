package dev.stagegate.analysis.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("One counter series, made ready for counting")
class CounterTrackTest {
    static CounterSeries series(Map<String, String> labels, long start, long step, double... values) {
        long[] times = new long[values.length];

        for (int i = 0; i < values.length; i++) {
            times[i] = start + i * step;
        }

        return CounterSeries.of(labels, times, values);
    }

    @Test
    @DisplayName("given a container restart, when the counter starts over from zero, then the counts after it add on to the counts before")
    void resetIsFoldedIn() {
        CounterTrack track = CounterTrack.of("requests", series(Map.of("pod", "a"), 0L, 15000L, 100.0, 250.0, 400.0, 90.0, 240.0));
        assertThat(track.problems()).isEmpty();
        assertThat(track.resets()).isEqualTo(1);
        assertThat(track.valueAt(60000L, false)).isEqualTo(640.0);
        assertThat(track.valueAt(45000L, false) - track.valueAt(30000L, false)).isEqualTo(90.0);
        assertThat(track.resetsBetween(30000L, 60000L)).isEqualTo(1);
        assertThat(track.resetsBetween(45000L, 60000L)).isZero();
    }

    @Test
    @DisplayName("between two scrapes the count is interpolated; before a new series' first scrape it is zero, after a vanished one's last it stays")
    void interpolatesAndHoldsTheEnds() {
        CounterTrack track = CounterTrack.of("requests", series(Map.of(), 30000L, 15000L, 300.0, 450.0));
        assertThat(track.valueAt(40000L, false)).isEqualTo(400.0, offset(1.0E-9));
        assertThat(track.valueAt(10000L, true)).as("a series that began in the window").isZero();
        assertThat(track.valueAt(10000L, false)).as("a series older than the window").isEqualTo(300.0);
        assertThat(track.valueAt(90000L, true)).isEqualTo(450.0);
        assertThat(track.scrapeIntervalMillis()).isEqualTo(15000L);
    }

    @Test
    @DisplayName("given a value that is not a whole number, then the series is refused with a message naming it and what to query instead")
    void nonIntegerReadingsAreRefused() {
        CounterTrack track = CounterTrack.of("errors", series(Map.of("pod", "a"), 0L, 15000L, 10.0, 12.73));
        assertThat(track.problems()).singleElement()
            .asString()
            .contains("errors series {pod=\"a\"}", "12.73", "not a whole number", "http_requests_total");
    }

    @Test
    @DisplayName("given a series that goes down without starting over from zero, then it is refused as not a counter")
    void decreasesThatAreNoRestartAreRefused() {
        CounterTrack gauge = CounterTrack.of("requests", series(Map.of("pod", "a"), 0L, 15000L, 1000.0, 1020.0, 1040.0, 995.0));
        assertThat(gauge.problems()).singleElement()
            .asString()
            .contains("went down from 1040 to 995", "without starting over", "not a counter");
    }

    @Test
    @DisplayName("given a series that drops to near zero again and again, then it is refused as a gauge")
    void manyResetsAreRefused() {
        CounterTrack flapping = CounterTrack.of("errors", series(Map.of(), 0L, 15000L, 5.0, 9.0, 2.0, 8.0, 1.0, 7.0, 0.0, 6.0, 3.0));
        assertThat(flapping.problems()).singleElement().asString().contains("went down 4 times", "gauge");
    }

    @Test
    @DisplayName("NaN or negative readings are refused")
    void nanIsRefused() {
        assertThat(CounterTrack.of("errors", series(Map.of(), 0L, 1L, 1.0, Double.NaN)).problems()).hasSize(1);
        assertThat(CounterTrack.of("errors", series(Map.of(), 0L, 1L, -1.0)).problems()).hasSize(1);
    }
}
