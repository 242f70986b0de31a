package dev.stagegate.analysis;

import dev.stagegate.analysis.stats.AlignedReading;
import dev.stagegate.analysis.stats.CounterAlignment;
import dev.stagegate.analysis.stats.SequentialErrorCheck;
import dev.stagegate.analysis.stats.SequentialResult;
import dev.stagegate.analysis.stats.SequentialState;
import dev.stagegate.analysis.stats.Signal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One evaluation of a sequential check on real counters: read raw samples at one time, align canary and stable on
 * their sample timestamps, fold the interval since the previous cut into the evidence. Unreadable or untrustworthy
 * counters are an Error with what to fix; absent counters are NoData; neither ever counts as a pass.
 */
public final class SequentialReading {
  private final CounterReader reader;

  public SequentialReading(MetricsSource metrics) {
    this.reader = new CounterReader(metrics);
  }

  public sealed interface Step permits Evaluated, NoData, Error {
  }

  public record Evaluated(SequentialResult result) implements Step {
  }

  public record NoData(String message) implements Step {
  }

  public record Error(String message) implements Step {
  }

  /**
   * @param counters one query per counter name of {@code signals} (e.g. "requests", "errors")
   * @param previous the state stored after the previous evaluation, or null at the start of the stage
   */
  public Step evaluate(SequentialErrorCheck check, List<Signal> signals, Map<String, CounterReader.Field> counters,
      QueryContext context, SequentialState previous, Instant time, Duration timeout) {
    CounterAlignment alignment = new CounterAlignment(signals);
    if (!counters.keySet().containsAll(alignment.counters())) {
      throw new IllegalArgumentException("counters " + counters.keySet() + " lack some of " + alignment.counters());
    }
    Long cut = previous == null ? null : previous.lastCutMillis();
    CounterReader.Reading reading =
        reader.read(counters, context, time, cut == null ? null : Instant.ofEpochMilli(cut), timeout);
    if (reading instanceof CounterReader.Failed failed) {
      return new Error(failed.message());
    }
    if (reading instanceof CounterReader.NoData noData) {
      return new NoData(noData.message());
    }
    CounterReader.Samples samples = (CounterReader.Samples) reading;
    SequentialState state = previous;
    if (samples.previousCutTooOld()) {
      // The samples at the old cut are no longer read, so the interval since then cannot be counted: restart.
      state = check.restart(previous).state();
      cut = null;
    }
    AlignedReading aligned = alignment.align(samples.canary(), samples.stable(), cut,
        samples.windowStart().toEpochMilli(), time.toEpochMilli());
    if (aligned instanceof AlignedReading.Unusable unusable) {
      return new Error(unusable.message());
    }
    return new Evaluated(check.update(state, aligned));
  }
}
