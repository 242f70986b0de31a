package dev.stagegate.demo;

import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.CheckStatus;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live terminal view: a header per scenario, then a line per state change of the watched resources with the
 * wall-clock time and the time since the scenario began. Also feeds the {@link Timeline} the picture is drawn from.
 */
public final class LiveView {
  private static final DateTimeFormatter HH_MM_SS = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final Terminal terminal;
  private final Clock clock;
  private final Timeline timeline;
  private final Map<String, String> lastKeys = new ConcurrentHashMap<>();
  private final Map<String, String> revisionNames = new ConcurrentHashMap<>();
  private final Map<String, String> lastEvaluations = new ConcurrentHashMap<>();
  private final Map<Integer, Long> maxMismatches = new ConcurrentHashMap<>();
  private volatile int scenario;
  private volatile String trackedRevision;
  private volatile Instant scenarioStart;

  public LiveView(Terminal terminal, Clock clock, Timeline timeline) {
    this.terminal = terminal;
    this.clock = clock;
    this.scenarioStart = clock.instant();
    this.timeline = timeline;
  }

  public Terminal terminal() {
    return terminal;
  }

  /** The demo's name for a revision hash, e.g. v2, shown instead of the hash. */
  public void nameRevision(String revision, String name) {
    revisionNames.put(revision, name);
  }

  public String revisionName(String revision) {
    String name = revisionNames.get(revision);
    return name != null ? name : revision.substring(0, Math.min(7, revision.length()));
  }

  /** Starts a scenario: its header, and the clock the lines and the timeline count from. */
  public void beginScenario(int number, String title, String expected) {
    scenario = number;
    scenarioStart = clock.instant();
    terminal.line("");
    terminal.line(terminal.bold("━━ " + number + ". " + title));
    terminal.line(terminal.dim("   expected: " + expected));
  }

  /** The revision the current scenario rolls out: the picture plots its share of traffic. */
  public void track(String revision) {
    trackedRevision = revision;
  }

  /** After the scenarios (--keep): lines go on, nothing more is recorded for the picture. */
  public void beginFreeRun() {
    scenario = 0;
    trackedRevision = null;
    scenarioStart = clock.instant();
    terminal.line("");
    terminal.line(terminal.bold("━━ Live: the sandbox as you change it"));
  }

  public int scenario() {
    return scenario;
  }

  public double secondsSinceScenarioStart() {
    return Duration.between(scenarioStart, clock.instant()).toMillis() / 1000.0;
  }

  /** A line of narration: what the demo itself just did. */
  public void note(String text) {
    terminal.line(prefix() + terminal.bold("▶ ") + text);
  }

  /** The scenario's decision: a marker on the picture. */
  public void decision(String label) {
    timeline.decision(new Timeline.Decision(scenario, secondsSinceScenarioStart(), label));
  }

  /** Called by the Release watcher on every change the API server reports. */
  public void release(Release release) {
    if (release.getSpec() == null) {
      return;
    }
    ReleaseLine line = ReleaseLine.of(release, this::revisionName);
    String id = "release/" + release.getMetadata().getName();
    recordPoint(release);
    if (line.key().equals(lastKeys.put(id, line.key()))) {
      return;
    }
    terminal.line(prefix() + ReleaseLine.pad(id, 18) + " " + line.render(terminal));
  }

  /** Called by the DataMigration watcher on every change the API server reports. */
  public void migration(DataMigration migration) {
    if (migration.getSpec() == null) {
      return;
    }
    Long mismatches = MigrationLine.mismatches(migration);
    if (mismatches != null && scenario != 0) {
      maxMismatches.merge(scenario, mismatches, Math::max);
    }
    MigrationLine line = MigrationLine.of(migration);
    String id = "dmig/" + migration.getMetadata().getNamespace() + "/" + migration.getMetadata().getName();
    if (line.key().equals(lastKeys.put(id, line.key()))) {
      return;
    }
    terminal.line(prefix() + ReleaseLine.pad(id, 18) + " " + line.render(terminal));
  }

  /** The most rows a data comparison found different during a scenario; null when none compared. */
  public Long maxMismatches(int scenario) {
    return maxMismatches.get(scenario);
  }

  /** A running loader's progress: a line at the start, at every quarter and at the end of its stage. */
  public void loaderProgress(String namespace, String migration, String stage, long done, long total) {
    long quarter = total <= 0 ? 4 : done * 4 / total;
    String id = "loader/" + namespace + "/" + stage;
    if (String.valueOf(quarter).equals(lastKeys.put(id, String.valueOf(quarter)))) {
      return;
    }
    terminal.line(prefix() + ReleaseLine.pad("  pod " + stage + "-load", 18) + " "
        + terminal.dim("loader " + ProgressBar.of(done, total, 10)
            + String.format(Locale.ROOT, " %,d/%,d rows of stage %s", done, total, stage)));
  }

  private void recordPoint(Release release) {
    var status = release.getStatus();
    if (status == null || scenario == 0) {
      return;
    }
    Check errorCheck = release.getSpec().getChecks().stream().filter(c -> c.getName().contains("error"))
        .findFirst().orElse(null);
    double value = Double.NaN;
    double threshold = errorCheck == null || errorCheck.getMax() == null ? Double.NaN : errorCheck.getMax();
    if (errorCheck != null && status.getChecks() != null) {
      CheckStatus cs = status.getChecks().stream().filter(c -> errorCheck.getName().equals(c.getName()))
          .findFirst().orElse(null);
      String id = release.getMetadata().getNamespace() + "/" + release.getMetadata().getName();
      // One point per evaluation: the same status is seen again with every other change.
      if (cs != null && cs.getLastResult() != null && cs.getLastResult().conclusive() && cs.getLastValue() != null
          && cs.getLastEvaluationTime() != null && !cs.getLastEvaluationTime().equals(lastEvaluations.put(id,
          cs.getLastEvaluationTime()))) {
        try {
          value = Double.parseDouble(cs.getLastValue());
        } catch (NumberFormatException notANumber) {
          // NaN stays: nothing to plot
        }
      }
    }
    if (Double.isNaN(value) && status.getPhase() == ReleasePhase.RolledBack && trackedRevision != null
        && trackedRevision.equals(status.getFailedRevision()) && status.getMessage() != null
        && !status.getMessage().equals(lastEvaluations.put(trackedRevision + "/rollback", status.getMessage()))) {
      value = decisiveValue(status.getMessage());
    }
    timeline.point(new Timeline.ReleasePoint(scenario, secondsSinceScenarioStart(), servingWeight(status), value,
        threshold, status.getRequestedWeight() == null ? 0 : status.getRequestedWeight()));
  }

  /**
   * The evaluation that decided a rollback is written with the rollback, which clears the checks: its value is only
   * in the message ("... 0.0929 is above max 0.01"). Read it from there for the picture; NaN when worded otherwise.
   */
  static double decisiveValue(String message) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9][0-9.eE+-]*) is (above|below) (max|min)")
        .matcher(message);
    try {
      return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }

  /** The tracked revision's share of ready pods: as the canary, then all of it once promoted, none otherwise. */
  private int servingWeight(ReleaseStatus status) {
    String revision = trackedRevision;
    if (revision == null) {
      return 0;
    }
    if (revision.equals(status.getCanaryRevision())) {
      return status.getActualWeight() == null ? 0 : status.getActualWeight();
    }
    return status.getPhase() == ReleasePhase.Promoted && revision.equals(status.getStableRevision()) ? 100 : 0;
  }

  private String prefix() {
    LocalTime now = LocalTime.ofInstant(clock.instant().truncatedTo(ChronoUnit.SECONDS), ZoneId.systemDefault());
    return terminal.dim(HH_MM_SS.format(now) + String.format(Locale.ROOT, " %+6.1fs  ", secondsSinceScenarioStart()));
  }
}
