package dev.stagegate.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * What the picture plots, gathered while the scenarios run: per Release scenario the canary weight and the
 * error-rate check's value against its threshold over time, per migration scenario the rows loaded per stage.
 */
public final class Timeline {

  /**
   * One observation of a Release.
   *
   * @param weight the new revision's share of ready pods (100 once promoted)
   * @param errorRate the error-rate check's value when this observation carries a new evaluation, else NaN
   * @param requestedWeight the weight of the stage the operator is in
   */
  public record ReleasePoint(int scenario, double seconds, int weight, double errorRate, double threshold,
      int requestedWeight) {}

  /** A scenario's decision, drawn as a vertical marker. */
  public record Decision(int scenario, double seconds, String label) {}

  public record StageRows(int scenario, String stage, long rows) {}

  /** From {@code seconds} on, a resource ({@code lane}, e.g. "Release checkout") was in this state. */
  public record LaneState(int scenario, String lane, double seconds, String label) {}

  private final List<ReleasePoint> points = new ArrayList<>();
  private final List<Decision> decisions = new ArrayList<>();
  private final List<StageRows> stageRows = new ArrayList<>();
  private final List<LaneState> lanes = new ArrayList<>();

  public synchronized void point(ReleasePoint point) {
    points.add(point);
  }

  public synchronized void decision(Decision decision) {
    decisions.add(decision);
  }

  /** Rows a stage loaded; a later report for the same stage replaces the earlier one. */
  public synchronized void stageRows(StageRows rows) {
    stageRows.removeIf(r -> r.scenario() == rows.scenario() && r.stage().equals(rows.stage()));
    stageRows.add(rows);
  }

  public synchronized List<ReleasePoint> points(int scenario) {
    return points.stream().filter(p -> p.scenario() == scenario).toList();
  }

  public synchronized List<Decision> decisions(int scenario) {
    return decisions.stream().filter(d -> d.scenario() == scenario).toList();
  }

  public synchronized List<StageRows> stageRows(int scenario) {
    return new ArrayList<>(stageRows.stream().filter(r -> r.scenario() == scenario).toList());
  }

  public synchronized void lane(LaneState state) {
    lanes.add(state);
  }

  public synchronized List<LaneState> lanes(int scenario) {
    return lanes.stream().filter(l -> l.scenario() == scenario).toList();
  }
}
