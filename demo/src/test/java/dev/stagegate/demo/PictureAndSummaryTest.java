package dev.stagegate.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** The end of the demo: the picture and the summary, from recorded observations. */
class PictureAndSummaryTest {

  private static Timeline recorded() {
    Timeline t = new Timeline();
    t.point(new Timeline.ReleasePoint(1, 0.5, 0, Double.NaN, 0.01, 10));
    t.point(new Timeline.ReleasePoint(1, 2.0, 9, 0.001, 0.01, 10));
    t.point(new Timeline.ReleasePoint(1, 13.0, 50, 0.002, 0.01, 50));
    t.point(new Timeline.ReleasePoint(1, 23.0, 100, Double.NaN, 0.01, 100));
    t.decision(new Timeline.Decision(1, 23.1, "Promoted"));
    t.point(new Timeline.ReleasePoint(2, 1.2, 9, Double.NaN, 0.01, 10));
    t.point(new Timeline.ReleasePoint(2, 3.3, 9, 0.095, 0.01, 10));
    t.point(new Timeline.ReleasePoint(2, 5.3, 0, 0.067, 0.01, 10));
    t.decision(new Timeline.Decision(2, 5.4, "RolledBack"));
    t.stageRows(new Timeline.StageRows(5, "pilot (1%)", 1_000));
    t.stageRows(new Timeline.StageRows(5, "ramp (10%)", 9_000));
    t.stageRows(new Timeline.StageRows(5, "full (100%)", 90_000));
    return t;
  }

  private static String render(Timeline t) {
    return TimelineSvg.render("Stagegate demo", "a test run", t,
        List.of(new TimelineSvg.ReleasePanel(1, "1. healthy"), new TimelineSvg.ReleasePanel(2, "2. bad canary")),
        new TimelineSvg.RowsPanel(5, "5. rows"));
  }

  @Test
  @DisplayName("given a run's observations, then the SVG is well-formed and shows both decisions, the threshold, the rows per stage and red points above the threshold")
  void pictureShowsWhatWasDecided() throws Exception {
    String svg = render(recorded());

    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("svg");
    assertThat(svg).contains("Promoted at 23.1s", "RolledBack at 5.4s", "error-rate threshold 1%",
        "1,000 rows", "9,000 rows", "90,000 rows", "pilot (1%)");
    assertThat(svg.split("r=\"4\" fill=\"#c62828\"", -1).length - 1).as("the two evaluations above 1% are red").isEqualTo(2);
  }

  @Test
  @DisplayName("given no migration ran, then its panel says so instead of drawing empty bars")
  void missingMigrationPanelSaysSo() {
    Timeline t = new Timeline();
    assertThat(render(t)).contains("(this scenario did not run)");
  }

  @Test
  @DisplayName("given five results, then the table marks each against its expectation, summary.json reads back the same, and one miss makes allAsExpected false")
  void summaryTableAndJson(@TempDir Path dir) {
    List<ScenarioResult> results = List.of(
        new ScenarioResult(1, "release-healthy", "checkout v2, healthy", "Promoted", "Promoted", true, 23.2, null, null, ""),
        new ScenarioResult(4, "migration-fixtures", "members, loader writes fixtures", "RolledBack/VerifyFailed",
            "Succeeded", false, 12.5, 1000L, 0L, ""));
    Summary summary = Summary.of("api", "prometheus", "2026-01-01T00:00:00Z", 80, "timeline.svg", results);

    summary.writeJson(dir.resolve("summary.json"));
    Summary read = Summary.readJson(dir.resolve("summary.json"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Terminal t = new Terminal(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    List<String> table = summary.table(t);

    assertThat(read).isEqualTo(summary);
    assertThat(summary.allAsExpected()).isFalse();
    assertThat(table).hasSize(4);
    assertThat(table.get(2)).contains("✓ Promoted", "23.2s", "-");
    assertThat(table.get(3)).contains("✗ Succeeded", "1000", "0");
  }
}
