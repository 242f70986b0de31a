package dev.stagegate.demo;

import dev.stagegate.api.release.Check;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.VerifyCheck;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.Stage;

/**
 * The one thing the demo changes in the example resources: durations, so that six scenarios fit in under three
 * minutes. Thresholds, failure limits, queries and stages stay as the examples have them.
 */
public record DemoTiming(String stageDuration, String checkInterval, String progressDeadline,
    String verifyInterval) {

  public static final DemoTiming DEMO = new DemoTiming("10s", "2s", "60s", "1s");

  /** The same DataMigration with every verify check's interval (also the default 10s of those without) shortened. */
  public DataMigration shorten(DataMigration migration) {
    for (VerifyCheck check : migration.getSpec().verifyOrEmpty()) {
      check.setInterval(verifyInterval);
    }
    return migration;
  }

  /** The same Release with every stage duration, check interval and the progress deadline shortened. */
  public Release shorten(Release release) {
    var spec = release.getSpec();
    for (Stage stage : spec.getStages()) {
      if (stage.getDuration() != null) {
        stage.setDuration(stageDuration);
      }
    }
    for (Check check : spec.getChecks()) {
      check.setInterval(checkInterval);
    }
    spec.setProgressDeadline(progressDeadline);
    return release;
  }
}
