package dev.stagegate.demo;

import dev.stagegate.api.release.Check;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.release.CheckStatus;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * One line of the live view for a Release, like a row of `kubectl get release -w` with the check values held
 * against their thresholds. Pure: the same Release gives the same line, and {@link #key()} changes only when
 * something a person would want to see changed.
 */
public record ReleaseLine(String phase, String stage, Integer weight, Integer requestedWeight, String stable,
    String canary, List<CheckCell> checks, String message) {

  /** One check: value, its bound ("≤ 0.01"), and whether it held. */
  public record CheckCell(String name, String value, String bound, CheckResult result) {}

  /**
   * @param names turns a revision hash into the demo's name for it (v1, v2, ...)
   */
  public static ReleaseLine of(Release release, UnaryOperator<String> names) {
    ReleaseStatus s = release.getStatus() == null ? new ReleaseStatus() : release.getStatus();
    List<CheckCell> cells = new ArrayList<>();
    boolean evaluating = s.getCanaryRevision() != null;
    for (Check check : release.getSpec().getChecks()) {
      CheckStatus cs = s.getChecks() == null ? null
          : s.getChecks().stream().filter(c -> check.getName().equals(c.getName())).findFirst().orElse(null);
      if (cs != null && cs.getLastResult() != null && evaluating) {
        cells.add(new CheckCell(check.getName(), shortNumber(cs.getLastValue()), bound(check), cs.getLastResult()));
      }
    }
    boolean terminal = s.getPhase() == ReleasePhase.RolledBack || s.getPhase() == ReleasePhase.Paused
        || s.getPhase() == ReleasePhase.Failed;
    return new ReleaseLine(s.getPhase() == null ? "Pending" : s.getPhase().name(),
        s.getCurrentStage() == null ? null : s.getCurrentStage().getName(),
        s.getActualWeight(), s.getRequestedWeight(),
        s.getStableRevision() == null ? null : names.apply(s.getStableRevision()),
        s.getCanaryRevision() == null ? null : names.apply(s.getCanaryRevision()),
        List.copyOf(cells), terminal ? s.getMessage() : null);
  }

  /** What changed-detection compares: everything shown, without colours or time. */
  public String key() {
    return render(new Terminal(null, false));
  }

  /** The line without its time prefix, coloured when the terminal is. */
  public String render(Terminal t) {
    StringBuilder b = new StringBuilder();
    b.append(phaseText(t)).append("  ");
    b.append(pad(stage == null ? "-" : stage, 10)).append(' ');
    b.append(weightText(t)).append("  ");
    b.append(pad(canary == null ? "stable " + (stable == null ? "-" : stable) : stable + " → " + canary, 10));
    for (CheckCell c : checks) {
      b.append("  ").append(c.name()).append(' ');
      switch (c.result()) {
        case Pass -> b.append(t.green(c.value() + " " + c.bound() + " ✓"));
        case Fail -> b.append(t.red(c.value() + " " + flip(c.bound()) + " ✗"));
        case NoData -> b.append(t.dim("no data"));
        case Error -> b.append(t.yellow("error"));
      }
    }
    if (message != null && !message.isBlank()) {
      b.append("  ").append(t.dim("— " + message));
    }
    return b.toString();
  }

  private String phaseText(Terminal t) {
    String text = pad(phase, 11);
    return switch (phase) {
      case "Promoted" -> t.green(text);
      case "RolledBack", "Failed" -> t.red(text);
      case "Paused" -> t.yellow(text);
      default -> t.cyan(text);
    };
  }

  private String weightText(Terminal t) {
    if (weight == null && requestedWeight == null) {
      return pad("   -", 8) + " " + " ".repeat(10);
    }
    int w = weight == null ? 0 : weight;
    String text = String.format(Locale.ROOT, "%3d%%", w);
    if (requestedWeight != null && !requestedWeight.equals(weight)) {
      text += "→" + requestedWeight + "%";
    }
    return pad(text, 8) + " " + ProgressBar.of(w, 100, 10);
  }

  private static String bound(Check check) {
    if (check.getMax() != null && check.getMin() != null) {
      return "in [" + shortNumber(check.getMin()) + ", " + shortNumber(check.getMax()) + "]";
    }
    if (check.getMax() != null) {
      return "≤ " + shortNumber(check.getMax());
    }
    if (check.getMin() != null) {
      return "≥ " + shortNumber(check.getMin());
    }
    return check.getCompare() != null ? "vs stable" : "";
  }

  /** A failed bound reads the other way round: "0.08 > 0.01". */
  private static String flip(String bound) {
    if (bound.startsWith("≤")) {
      return ">" + bound.substring(1);
    }
    if (bound.startsWith("≥")) {
      return "<" + bound.substring(1);
    }
    return "outside " + bound;
  }

  static String shortNumber(String text) {
    if (text == null) {
      return "?";
    }
    try {
      return shortNumber(Double.parseDouble(text));
    } catch (NumberFormatException e) {
      return text;
    }
  }

  static String shortNumber(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return String.valueOf(v);
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e6) {
      return String.valueOf((long) v);
    }
    return String.format(Locale.ROOT, "%.3g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replaceAll("\\.(e|$)", "$1");
  }

  static String pad(String s, int width) {
    int visible = Terminal.plain(s).length();
    return visible >= width ? s : s + " ".repeat(width - visible);
  }
}
