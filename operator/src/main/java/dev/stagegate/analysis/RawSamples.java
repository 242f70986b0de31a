package dev.stagegate.analysis;

import dev.stagegate.analysis.stats.CounterSeries;
import java.util.List;

/** Answer to a range selector: the raw samples of every matching series, or why there are none. */
public sealed interface RawSamples permits RawSamples.Failed, RawSamples.Series {

  record Failed(String message) implements RawSamples {
  }

  /** Possibly empty: no matching series is no data, which the caller must not read as zero. */
  record Series(List<CounterSeries> series) implements RawSamples {
    public Series {
      series = List.copyOf(series);
    }
  }
}
