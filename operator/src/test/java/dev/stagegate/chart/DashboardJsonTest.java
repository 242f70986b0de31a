package dev.stagegate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stagegate.chart.Dashboard.Target;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The dashboard file on its own: what Grafana needs to import it, and what the issue asks it to show. */
class DashboardJsonTest {
  private static final Set<String> GRAFANA_BUILT_INS = Set.of("__rate_interval", "__range", "__interval");
  private static final Set<String> PANEL_TYPES = Set.of("timeseries", "stat", "state-timeline", "table", "bargauge");

  private final Dashboard dashboard = Dashboard.load();

  @Test
  @DisplayName("given the dashboard JSON, then it has a title, a stable uid, a schema version, a time range and a Prometheus data source variable")
  void topLevelFields() {
    JsonNode json = dashboard.json;
    assertThat(json.path("title").asText()).isEqualTo("Stagegate");
    assertThat(json.path("uid").asText()).matches("[a-z0-9-]{1,40}");
    assertThat(json.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(36);
    assertThat(json.path("time").path("from").asText()).isNotEmpty();
    assertThat(json.has("id")).as("no fixed id: Grafana assigns one per instance").isFalse();
    JsonNode datasource = dashboard.variables().get("datasource");
    assertThat(datasource.path("type").asText()).isEqualTo("datasource");
    assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
  }

  @Test
  @DisplayName("given the panels, then each has a unique id, a known type, a title, a place on the 24-column grid without overlap, and queries through the chosen data source")
  void panelsAreWellFormed() {
    Set<Integer> ids = new HashSet<>();
    List<int[]> boxes = new java.util.ArrayList<>();
    for (JsonNode panel : dashboard.panels()) {
      String title = panel.path("title").asText();
      assertThat(ids.add(panel.path("id").asInt())).as("unique id of " + title).isTrue();
      assertThat(title).isNotBlank();
      JsonNode grid = panel.path("gridPos");
      int x = grid.path("x").asInt(-1);
      int y = grid.path("y").asInt(-1);
      int w = grid.path("w").asInt();
      int h = grid.path("h").asInt();
      assertThat(x).as(title).isGreaterThanOrEqualTo(0);
      assertThat(y).as(title).isGreaterThanOrEqualTo(0);
      assertThat(w).as(title).isPositive();
      assertThat(h).as(title).isPositive();
      assertThat(x + w).as(title + " fits 24 columns").isLessThanOrEqualTo(24);
      for (int[] other : boxes) {
        boolean overlap = x < other[0] + other[2] && other[0] < x + w && y < other[1] + other[3] && other[1] < y + h;
        assertThat(overlap).as(title + " overlaps another panel").isFalse();
      }
      boxes.add(new int[] {x, y, w, h});
      if ("row".equals(panel.path("type").asText())) {
        continue;
      }
      assertThat(panel.path("type").asText()).as(title).isIn(PANEL_TYPES);
      assertThat(panel.path("datasource").path("uid").asText()).as(title).isEqualTo("${datasource}");
      assertThat(panel.path("targets")).as(title + " queries").isNotEmpty();
      Set<String> refIds = new HashSet<>();
      for (JsonNode target : panel.path("targets")) {
        assertThat(refIds.add(target.path("refId").asText())).as("unique refId in " + title).isTrue();
        assertThat(target.path("expr").asText()).as(title).isNotBlank();
      }
    }
  }

  @Test
  @DisplayName("given the queries, then every variable they use is a template variable (namespace, release, migration) or a Grafana built-in")
  void variablesAreDefined() {
    Set<String> defined = new TreeSet<>(dashboard.variables().keySet());
    assertThat(defined).contains("namespace", "release", "migration");
    for (Target target : dashboard.targets()) {
      for (String variable : Dashboard.variablesIn(target.expr())) {
        assertThat(defined.contains(variable) || GRAFANA_BUILT_INS.contains(variable))
            .as("$" + variable + " in " + target.panel()).isTrue();
      }
    }
    for (String name : List.of("namespace", "release", "migration")) {
      JsonNode variable = dashboard.variables().get(name);
      assertThat(variable.path("type").asText()).isEqualTo("query");
      assertThat(Dashboard.variableQuery(variable)).startsWith("label_values(");
      assertThat(variable.path("multi").asBoolean()).isTrue();
      assertThat(variable.path("allValue").asText()).isEqualTo(".*");
    }
  }

  @Test
  @DisplayName("given the panels, then Releases, DataMigrations and the operator each have the metrics the issue asks for")
  void coversWhatTheIssueAsks() {
    Set<String> used = new TreeSet<>();
    dashboard.targets().forEach(t -> used.addAll(PromQlNames.metricNames(t.expr())));
    assertThat(used).contains(
        // Release: phase, stage, requested vs actual weight, checks against thresholds, rollbacks, promotions
        "stagegate_release_phase", "stagegate_release_stage", "stagegate_release_weight", "stagegate_check_value",
        "stagegate_check_threshold", "stagegate_rollbacks_total", "stagegate_promotions_total",
        // DataMigration: phase, stage, rows, verify mismatches and duration (last evaluation, window max)
        "stagegate_migration_phase", "stagegate_migration_stage", "stagegate_migration_rows",
        "stagegate_verify_mismatches", "stagegate_verify_last_duration_seconds", "stagegate_verify_duration_seconds_max",
        // operator health: reconcile rate, errors, latency (JOSDK's names, read from a live /metrics)
        "operator_sdk_reconciliations_started_total", "stagegate_reconcile_errors_total",
        "operator_sdk_controllers_execution_reconcile_seconds_bucket");
    assertThat(dashboard.targets()).filteredOn(t -> t.expr().contains("stagegate_release_weight"))
        .as("requested and actual weight in one panel, by the kind label").singleElement()
        .satisfies(t -> assertThat(t.expr()).contains("kind"));
  }

  @Test
  @DisplayName("given PromQL, then PromQlNames finds the metrics and skips functions, labels, strings, windows and keywords")
  void metricNamesOfAnExpression() {
    assertThat(PromQlNames.metricNames(
        "histogram_quantile(0.99, sum by (le, controller) (rate(a_seconds_bucket{x=\"up\", y=~\"$ns\"}[$__rate_interval])))"))
        .containsExactly("a_seconds_bucket");
    assertThat(PromQlNames.metricNames("sum(x_total{r=\"Error\"}) > 0 unless on (a) y == 1 or absent(up{job=\"j\"} == 1)"))
        .containsExactly("up", "x_total", "y");
  }
}
