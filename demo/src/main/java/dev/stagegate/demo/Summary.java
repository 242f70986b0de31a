package dev.stagegate.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The end of the demo: a table per scenario for the person, and summary.json for machines (the demo test reads
 * it). {@code allAsExpected} is what the exit code follows.
 */
public record Summary(String apiServer, String metrics, String startedAt, double wallSeconds, boolean allAsExpected,
    String picture, List<ScenarioResult> scenarios) {

  public static Summary of(String apiServer, String metrics, String startedAt, double wallSeconds, String picture,
      List<ScenarioResult> scenarios) {
    boolean all = !scenarios.isEmpty() && scenarios.stream().allMatch(ScenarioResult::asExpected);
    return new Summary(apiServer, metrics, startedAt, wallSeconds, all, picture, List.copyOf(scenarios));
  }

  public void writeJson(Path file) {
    try {
      Files.createDirectories(file.getParent());
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  public static Summary readJson(Path file) {
    try {
      return new ObjectMapper().readValue(file.toFile(), Summary.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** The table, one row per scenario, with ✓/✗ against the expected outcome. */
  public List<String> table(Terminal t) {
    String[] header = {"#", "Scenario", "Expected", "Outcome", "Decision", "Rows loaded", "Mismatches"};
    List<String[]> rows = new ArrayList<>();
    for (ScenarioResult r : scenarios) {
      rows.add(new String[] {String.valueOf(r.number()), r.title(), r.expected(),
          (r.asExpected() ? "✓ " : "✗ ") + r.outcome(),
          String.format(Locale.ROOT, "%.1fs", r.secondsToDecision()),
          r.rowsLoaded() == null ? "-" : String.valueOf(r.rowsLoaded()),
          r.mismatches() == null ? "-" : String.valueOf(r.mismatches())});
    }
    int[] widths = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      widths[i] = header[i].length();
      for (String[] row : rows) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(t.bold(join(header, widths)));
    lines.add(t.dim(join(dashes(widths), widths)));
    for (int i = 0; i < rows.size(); i++) {
      String line = join(rows.get(i), widths);
      lines.add(scenarios.get(i).asExpected() ? line : t.red(line));
    }
    return lines;
  }

  private static String[] dashes(int[] widths) {
    String[] d = new String[widths.length];
    for (int i = 0; i < widths.length; i++) {
      d[i] = "─".repeat(widths[i]);
    }
    return d;
  }

  private static String join(String[] cells, int[] widths) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      boolean numeric = i >= 4;
      String cell = cells[i];
      String pad = " ".repeat(widths[i] - cell.length());
      b.append(i == 0 ? "" : "  ").append(numeric ? pad + cell : cell + pad);
    }
    return b.toString().stripTrailing();
  }
}
