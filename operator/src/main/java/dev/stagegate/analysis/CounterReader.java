package dev.stagegate.analysis;

import dev.stagegate.analysis.stats.CounterSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the raw samples of a sequential check's counters for both revisions, every query pinned to one evaluation
 * time. The window reaches from the previous cut (where the last counted interval ended) back a margin further, so
 * the samples around the cut are there again; an empty answer is no data, never zero.
 */
public final class CounterReader {
  /** Extra history before the previous cut: a few scrapes even at one-minute scrape intervals. */
  static final Duration MARGIN = Duration.ofMinutes(5);
  /** Beyond this the previous cut is too old to reread cheaply (operator down for hours): start counting afresh. */
  static final Duration MAX_WINDOW = Duration.ofHours(2);

  private final MetricsSource metrics;

  public CounterReader(MetricsSource metrics) {
    this.metrics = metrics;
  }

  /** A counter of the check: its spec field path (for messages) and its query template. */
  public record Field(String path, String query) {
  }

  public sealed interface Reading permits Samples, NoData, Failed {
  }

  /** Series per counter name for each revision, read over [windowStart, time]. */
  public record Samples(Map<String, List<CounterSeries>> canary, Map<String, List<CounterSeries>> stable,
      Instant windowStart, Instant time, boolean previousCutTooOld) implements Reading {
  }

  public record NoData(String message) implements Reading {
  }

  public record Failed(String message) implements Reading {
  }

  public Reading read(Map<String, Field> counters, QueryContext context, Instant time, Instant previousCut,
      Duration timeout) {
    Duration window = previousCut == null ? MARGIN : Duration.between(previousCut, time).plus(MARGIN);
    boolean tooOld = window.compareTo(MAX_WINDOW) > 0;
    if (tooOld) {
      window = MARGIN;
    }
    Map<String, List<CounterSeries>> canary = new LinkedHashMap<>();
    Map<String, List<CounterSeries>> stable = new LinkedHashMap<>();
    for (Map.Entry<String, Field> counter : counters.entrySet()) {
      Field field = counter.getValue();
      for (boolean isCanary : new boolean[] {true, false}) {
        String revision = isCanary ? context.canaryRevision() : context.stableRevision();
        String rendered = QueryTemplate.render(field.query(), context.forRevision(revision));
        CounterQuery.Parsed parsed = CounterQuery.parse(field.path(), rendered);
        if (parsed instanceof CounterQuery.Refused refused) {
          return new Failed(refused.message());
        }
        RawSamples result = metrics.samples(((CounterQuery.Selector) parsed).over(window), time, timeout);
        if (result instanceof RawSamples.Failed failed) {
          return new Failed(field.path() + ": " + failed.message());
        }
        List<CounterSeries> series = ((RawSamples.Series) result).series();
        if (series.isEmpty()) {
          return new NoData(field.path() + " matched no series for revision " + revision + " in the "
              + window.toSeconds() + " s before " + time + ": nothing counted yet, or a mistyped label. An absent "
              + "counter is no data, not zero; if the application creates it only at the first error, initialise "
              + "it at zero (most client libraries can)");
        }
        (isCanary ? canary : stable).put(counter.getKey(), series);
      }
    }
    return new Samples(canary, stable, time.minus(window), time, tooOld);
  }
}
