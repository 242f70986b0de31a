package dev.stagegate.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Renders prometheus.yml for {@link PrometheusServer}. Pure; values are quoted so no label value breaks the YAML. */
final class PrometheusConfigFile {
  /** Prometheus' own default scrape timeout; it must not exceed the scrape interval. */
  private static final Duration DEFAULT_SCRAPE_TIMEOUT = Duration.ofSeconds(10);

  /** One {@code scrape_configs} entry with static targets. */
  /** A scrape job: one or more target groups, each with its own labels (e.g. one group per pod). */
  record ScrapeJob(String name, List<TargetGroup> groups) {
    ScrapeJob {
      groups = List.copyOf(groups);
    }

    ScrapeJob(String name, List<String> targets, Map<String, String> labels) {
      this(name, List.of(new TargetGroup(targets, labels)));
    }
  }

  /**
   * Targets sharing labels. Labels starting with {@code __} are Prometheus' own: {@code __metrics_path__} gives a
   * target its own path, which is how one process serves one scrape target per simulated pod.
   */
  record TargetGroup(List<String> targets, Map<String, String> labels) {
    TargetGroup {
      targets = List.copyOf(targets);
      labels = new TreeMap<>(labels);
    }
  }

  private PrometheusConfigFile() {}

  static String render(Duration scrapeInterval, Duration evaluationInterval, List<ScrapeJob> jobs,
      List<String> ruleFiles) {
    Duration timeout = scrapeInterval.compareTo(DEFAULT_SCRAPE_TIMEOUT) < 0 ? scrapeInterval : DEFAULT_SCRAPE_TIMEOUT;
    StringBuilder y = new StringBuilder();
    y.append("global:\n")
        .append("  scrape_interval: ").append(duration(scrapeInterval)).append('\n')
        .append("  scrape_timeout: ").append(duration(timeout)).append('\n')
        .append("  evaluation_interval: ").append(duration(evaluationInterval)).append('\n');
    if (!ruleFiles.isEmpty()) {
      y.append("rule_files:\n");
      ruleFiles.forEach(f -> y.append("  - ").append(quote(f)).append('\n'));
    }
    y.append("scrape_configs:");
    if (jobs.isEmpty()) {
      y.append(" []\n");
      return y.toString();
    }
    y.append('\n');
    for (ScrapeJob job : jobs) {
      y.append("  - job_name: ").append(quote(job.name())).append('\n')
          .append("    static_configs:\n");
      for (TargetGroup group : job.groups()) {
        y.append("      - targets: [");
        for (int i = 0; i < group.targets().size(); i++) {
          y.append(i == 0 ? "" : ", ").append(quote(group.targets().get(i)));
        }
        y.append("]\n");
        if (!group.labels().isEmpty()) {
          y.append("        labels:\n");
          group.labels().forEach((k, v) -> y.append("          ").append(k).append(": ").append(quote(v)).append('\n'));
        }
      }
    }
    return y.toString();
  }

  /** Prometheus durations: whole seconds as "5s", anything finer in milliseconds. */
  static String duration(Duration d) {
    long millis = d.toMillis();
    if (millis <= 0) {
      throw new IllegalArgumentException("Prometheus durations must be positive: " + d);
    }
    return millis % 1000 == 0 ? (millis / 1000) + "s" : millis + "ms";
  }

  private static String quote(String value) {
    return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
