package dev.stagegate.testing;

import dev.stagegate.analysis.MetricsSource;
import dev.stagegate.analysis.MetricsSources;
import dev.stagegate.analysis.QueryResult;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in Prometheus for the fast tiers: answers any query with the value scripted for the
 * revision named in it (`revision="..."`). The real-Prometheus tier proves the real thing.
 */
public final class ScriptedMetrics implements MetricsSources {
  private static final Pattern REVISION = Pattern.compile("revision=\"([^\"]+)\"");
  private final Map<String, QueryResult> byRevision = new ConcurrentHashMap<>();
  private volatile QueryResult otherwise = new QueryResult.Value(0.0);
  private volatile QueryResult everything;

  /** Every revision not scripted answers this (healthy by default). */
  public ScriptedMetrics otherwise(double value) {
    otherwise = new QueryResult.Value(value);
    return this;
  }

  public ScriptedMetrics revision(String revision, double value) {
    byRevision.put(revision, new QueryResult.Value(value));
    return this;
  }

  /** Overrides every answer, e.g. a failed query while Prometheus is "down"; null restores. */
  public ScriptedMetrics everything(QueryResult result) {
    everything = result;
    return this;
  }

  @Override
  public MetricsSource forTarget(String url, java.util.Optional<Map<String, String>> secret) {
    return this::answer;
  }

  private QueryResult answer(String promql, Duration timeout) {
    if (everything != null) {
      return everything;
    }
    Matcher m = REVISION.matcher(promql);
    return m.find() ? byRevision.getOrDefault(m.group(1), otherwise) : otherwise;
  }
}
