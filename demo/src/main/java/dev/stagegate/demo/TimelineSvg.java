package dev.stagegate.demo;

import java.util.List;
import java.util.Locale;

/**
 * The demo's picture, an SVG written by hand like the decision benchmark's plot (no charting library, no AWT,
 * diffable text): one panel per Release scenario with the canary weight (left axis) and the error-rate check's
 * values against its threshold (right axis) over time, and one panel with the rows each migration stage loaded.
 */
public final class TimelineSvg {
  private static final int WIDTH = 1000;
  private static final int LEFT = 80;
  private static final int RIGHT = 90;
  private static final int PANEL = 250;
  private static final int GAP = 95;
  private static final int TOP = 100;
  private static final String WEIGHT = "#2f6fdf";
  private static final String ERRORS = "#e8750a";
  private static final String THRESHOLD = "#c62828";

  /** A Release panel: which scenario, and its caption. */
  public record ReleasePanel(int scenario, String caption) {}

  /** A migration panel: which scenario, and its caption. */
  public record RowsPanel(int scenario, String caption) {}

  /**
   * A linked Release and DataMigration: the Release panel (canary weight, checks, decision), and under it, on the
   * same time axis, one lane per resource with the states it went through.
   */
  public record LinkedPanel(int scenario, String caption) {}

  private static final int LANE = 44;
  private static final int LANES = 2 * LANE + 30;
  private static final String[] LANE_COLOURS = {"#dce8fb", "#e9e9e9"};

  private TimelineSvg() {}

  public static String render(String title, String subtitle, Timeline timeline, List<ReleasePanel> releases, RowsPanel rows) {
    return render(title, subtitle, timeline, releases, List.of(), rows);
  }

  public static String render(String title, String subtitle, Timeline timeline, List<ReleasePanel> releases,
      List<LinkedPanel> linked, RowsPanel rows) {
    int panels = releases.size() + 1;
    int height = TOP + panels * (PANEL + GAP) + linked.size() * (PANEL + GAP + LANES + GAP) + 10;
    StringBuilder svg = new StringBuilder();
    svg.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
        + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height, WIDTH, height));
    svg.append(f("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
    svg.append(f("<text x=\"%d\" y=\"34\" font-size=\"18\" font-weight=\"bold\">%s</text>%n", LEFT, esc(title)));
    svg.append(f("<text x=\"%d\" y=\"54\" fill=\"#555\">%s</text>%n", LEFT, esc(subtitle)));
    int top = TOP;
    for (ReleasePanel panel : releases) {
      releasePanel(svg, top, panel, timeline);
      top += PANEL + GAP;
    }
    for (LinkedPanel panel : linked) {
      releasePanel(svg, top, new ReleasePanel(panel.scenario(), panel.caption()), timeline);
      top += PANEL + GAP;
      lanesPanel(svg, top, panel.scenario(), timeline);
      top += LANES + GAP;
    }
    rowsPanel(svg, top, rows, timeline);
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static void releasePanel(StringBuilder svg, int top, ReleasePanel panel, Timeline timeline) {
    List<Timeline.ReleasePoint> points = timeline.points(panel.scenario());
    List<Timeline.Decision> decisions = timeline.decisions(panel.scenario());
    double plotWidth = WIDTH - LEFT - RIGHT;
    double xMax = xMax(panel.scenario(), timeline);
    double threshold = points.stream().mapToDouble(Timeline.ReleasePoint::threshold).filter(Double::isFinite)
        .findFirst().orElse(Double.NaN);
    double maxError = points.stream().mapToDouble(Timeline.ReleasePoint::errorRate).filter(Double::isFinite)
        .max().orElse(0);
    double yMax = niceCeiling(Math.max(Double.isFinite(threshold) ? threshold * 2 : 0.01, maxError * 1.15));
    java.util.function.DoubleUnaryOperator sx = x -> LEFT + x / xMax * plotWidth;
    java.util.function.DoubleUnaryOperator sw = w -> top + PANEL - w / 100 * PANEL;
    java.util.function.DoubleUnaryOperator se = e -> top + PANEL - e / yMax * PANEL;

    svg.append(f("<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", LEFT, top - 32,
        esc(panel.caption())));
    frame(svg, top, plotWidth, xMax, "seconds since the image change");
    legend(svg, top - 12);
    for (int i = 0; i <= 4; i++) {
      double w = 25 * i;
      svg.append(f("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"%s\">%s%%</text>%n", LEFT - 6,
          sw.applyAsDouble(w) + 4, WEIGHT, trim(w)));
    }
    for (int i = 0; i <= 5; i++) {
      double e = yMax * i / 5;
      svg.append(f("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>%n", LEFT + plotWidth,
          se.applyAsDouble(e), LEFT + plotWidth + 4, se.applyAsDouble(e), ERRORS));
      svg.append(f("<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%s</text>%n", LEFT + plotWidth + 7,
          se.applyAsDouble(e) + 4, ERRORS, percent(e)));
    }
    axisLabel(svg, 22, top + PANEL / 2.0, "canary weight", WEIGHT);
    axisLabel(svg, WIDTH - 16, top + PANEL / 2.0, "error rate (check value)", ERRORS);

    if (!points.isEmpty()) {
      // Weight as a step line: it holds until the next observation.
      StringBuilder step = new StringBuilder();
      double lastY = sw.applyAsDouble(0);
      step.append(f("M%.1f %.1f", sx.applyAsDouble(0), lastY));
      for (Timeline.ReleasePoint p : points) {
        double x = sx.applyAsDouble(p.seconds());
        double y = sw.applyAsDouble(p.weight());
        step.append(f(" L%.1f %.1f L%.1f %.1f", x, lastY, x, y));
        lastY = y;
      }
      step.append(f(" L%.1f %.1f", sx.applyAsDouble(xMax), lastY));
      svg.append(f("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"/>%n", step, WEIGHT));
    }
    if (Double.isFinite(threshold)) {
      double y = se.applyAsDouble(threshold);
      svg.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\" "
          + "stroke-dasharray=\"6 4\"/>%n", LEFT, y, LEFT + plotWidth, y, THRESHOLD));
      svg.append(f("<text x=\"%d\" y=\"%.1f\" fill=\"%s\" paint-order=\"stroke\" stroke=\"white\" "
          + "stroke-width=\"4\">error-rate threshold %s</text>%n", LEFT + 6, y - 5, THRESHOLD, percent(threshold)));
    }
    StringBuilder errorLine = new StringBuilder();
    for (Timeline.ReleasePoint p : points) {
      if (!Double.isFinite(p.errorRate())) {
        continue;
      }
      double x = sx.applyAsDouble(p.seconds());
      double y = se.applyAsDouble(Math.min(p.errorRate(), yMax));
      errorLine.append(errorLine.length() == 0 ? "M" : " L").append(f("%.1f %.1f", x, y));
      String fill = Double.isFinite(threshold) && p.errorRate() > threshold ? THRESHOLD : ERRORS;
      svg.append(f("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n", x, y, fill));
    }
    if (errorLine.length() > 0) {
      svg.append(f("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\"/>%n", errorLine, ERRORS));
    }
    for (Timeline.Decision d : decisions) {
      double x = sx.applyAsDouble(d.seconds());
      svg.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\" stroke-dasharray=\"2 3\"/>%n",
          x, top, x, top + PANEL));
      svg.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" font-weight=\"bold\" paint-order=\"stroke\" "
          + "stroke=\"white\" stroke-width=\"4\">%s at %.1fs</text>%n", x - 6, top + PANEL / 3, esc(d.label()),
          d.seconds()));
    }
  }

  /** The time axis of a scenario: its last observation, decision or lane change, rounded up to a tick. */
  private static double xMax(int scenario, Timeline timeline) {
    double last = Math.max(5, Math.max(Math.max(
        timeline.points(scenario).stream().mapToDouble(Timeline.ReleasePoint::seconds).max().orElse(0),
        timeline.decisions(scenario).stream().mapToDouble(Timeline.Decision::seconds).max().orElse(0)),
        timeline.lanes(scenario).stream().mapToDouble(Timeline.LaneState::seconds).max().orElse(0)) * 1.04);
    return Math.ceil(last / niceStep(last / 10)) * niceStep(last / 10);
  }

  /** One lane per linked resource: each state it was in, from when it was seen until the next. */
  private static void lanesPanel(StringBuilder svg, int top, int scenario, Timeline timeline) {
    List<Timeline.LaneState> states = timeline.lanes(scenario);
    double plotWidth = WIDTH - LEFT - RIGHT;
    double xMax = xMax(scenario, timeline);
    java.util.function.DoubleUnaryOperator sx = x -> LEFT + x / xMax * plotWidth;
    svg.append(f("<text x=\"%d\" y=\"%d\" fill=\"#555\">the same seconds: what each resource's status said</text>%n",
        LEFT, top - 8));
    List<String> lanes = states.stream().map(Timeline.LaneState::lane).distinct().toList();
    if (lanes.isEmpty()) {
      svg.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#777\">(this scenario did not run)</text>%n",
          LEFT + plotWidth / 2, top + LANE));
      return;
    }
    for (int i = 0; i < lanes.size(); i++) {
      String lane = lanes.get(i);
      double y = top + i * (LANE + 6);
      svg.append(f("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%s</text>%n", LEFT - 6,
          y + LANE / 2.0 + 4, esc(lane.split(" ")[0])));
      List<Timeline.LaneState> own = states.stream().filter(s -> s.lane().equals(lane)).toList();
      for (int j = 0; j < own.size(); j++) {
        Timeline.LaneState s = own.get(j);
        double x0 = sx.applyAsDouble(s.seconds());
        double x1 = j + 1 < own.size() ? sx.applyAsDouble(own.get(j + 1).seconds()) : LEFT + plotWidth;
        String fill = s.label().startsWith("RolledBack") || s.label().startsWith("RollingBack")
            || s.label().startsWith("Failed") ? "#f6c9c9" : LANE_COLOURS[i % LANE_COLOURS.length];
        svg.append(f("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\" stroke=\"white\"/>%n",
            x0, y, Math.max(1, x1 - x0), LANE, fill));
        // Labels alternate between two rows, so that short states next to each other stay readable.
        svg.append(f("<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\">%s</text>%n", x0 + 2,
            y + (j % 2 == 0 ? 16 : 34), esc(s.label())));
      }
    }
    for (Timeline.Decision d : timeline.decisions(scenario)) {
      double x = sx.applyAsDouble(d.seconds());
      svg.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\" stroke-dasharray=\"2 3\"/>%n",
          x, top, x, top + 2 * (LANE + 6)));
    }
  }

  private static void rowsPanel(StringBuilder svg, int top, RowsPanel panel, Timeline timeline) {
    List<Timeline.StageRows> stages = timeline.stageRows(panel.scenario());
    double plotWidth = WIDTH - LEFT - RIGHT;
    svg.append(f("<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", LEFT, top - 12,
        esc(panel.caption())));
    svg.append(f("<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n", LEFT, top,
        plotWidth, PANEL));
    if (stages.isEmpty()) {
      svg.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#777\">(this scenario did not run)</text>%n",
          LEFT + plotWidth / 2, top + PANEL / 2));
      return;
    }
    double top5 = Math.max(1, stages.stream().mapToLong(Timeline.StageRows::rows).max().orElse(1) * 1.12);
    double yMax = Math.ceil(top5 / niceStep(top5 / 4)) * niceStep(top5 / 4);
    for (double v = 0; v <= yMax + 1e-9; v += niceStep(top5 / 4)) {
      double y = top + PANEL - v / yMax * PANEL;
      svg.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>%n", LEFT, y,
          LEFT + plotWidth, y));
      svg.append(f("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%,d</text>%n", LEFT - 6, y + 4, Math.round(v)));
    }
    axisLabel(svg, 22, top + PANEL / 2.0, "rows loaded", "#333");
    double slot = plotWidth / stages.size();
    double barWidth = Math.min(140, slot * 0.6);
    for (int i = 0; i < stages.size(); i++) {
      Timeline.StageRows s = stages.get(i);
      double x = LEFT + slot * i + (slot - barWidth) / 2;
      double h = s.rows() / yMax * PANEL;
      svg.append(f("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#3a9d5d\"/>%n", x,
          top + PANEL - h, barWidth, h));
      svg.append(f("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-weight=\"bold\">%,d rows</text>%n",
          x + barWidth / 2, top + PANEL - h - 6, s.rows()));
      svg.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x + barWidth / 2, top + PANEL + 18,
          esc(s.stage())));
    }
  }

  private static void frame(StringBuilder svg, int top, double plotWidth, double xMax, String xLabel) {
    for (int i = 0; i <= 4; i++) {
      double y = top + PANEL * i / 4.0;
      svg.append(f("<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#e5e5e5\"/>%n", LEFT, y,
          LEFT + plotWidth, y));
    }
    double step = niceStep(xMax / 10);
    for (double x = 0; x <= xMax + 1e-9; x += step) {
      double px = LEFT + x / xMax * plotWidth;
      svg.append(f("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\"/>%n", px, top + PANEL, px,
          top + PANEL + 4));
      svg.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", px, top + PANEL + 17, trim(x)));
    }
    svg.append(f("<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n", LEFT, top,
        plotWidth, PANEL));
    svg.append(f("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#555\">%s</text>%n", LEFT + plotWidth / 2,
        top + PANEL + 32, esc(xLabel)));
  }

  private static void legend(StringBuilder svg, double y) {
    double x = LEFT;
    svg.append(f("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2.5\"/>%n",
        x, y, x + 24, y, WEIGHT));
    svg.append(f("<text x=\"%.1f\" y=\"%.1f\">canary weight</text>%n", x + 30, y + 4));
    x += 150;
    svg.append(f("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n", x + 12, y, ERRORS));
    svg.append(f("<text x=\"%.1f\" y=\"%.1f\">error-rate check value (red: above threshold)</text>%n", x + 24, y + 4));
    x += 330;
    svg.append(f("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\" "
        + "stroke-dasharray=\"6 4\"/>%n", x, y, x + 24, y, THRESHOLD));
    svg.append(f("<text x=\"%.1f\" y=\"%.1f\">threshold</text>%n", x + 30, y + 4));
  }

  private static void axisLabel(StringBuilder svg, double x, double y, String text, String colour) {
    svg.append(f("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"%s\" transform=\"rotate(-90 %.1f %.1f)\">"
        + "%s</text>%n", x, y, colour, x, y, esc(text)));
  }

  /** 1, 2 or 5 times a power of ten, at least {@code value}: tick steps people read easily. */
  static double niceStep(double value) {
    double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 5, 10}) {
      if (step * magnitude >= value - 1e-12) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  static double niceCeiling(double value) {
    if (!(value > 0)) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * magnitude >= value - 1e-12) {
        return step * magnitude;
      }
    }
    return 10 * magnitude;
  }

  private static String percent(double rate) {
    return trim(rate * 100) + "%";
  }

  private static String trim(double value) {
    if (Math.abs(value - Math.rint(value)) < 1e-9) {
      return f("%.0f", value);
    }
    return f("%.3g", value).replaceAll("0+$", "").replaceAll("\\.$", "");
  }

  private static String esc(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
