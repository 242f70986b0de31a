package dev.stagegate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stagegate.testing.RealComponent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart's PrometheusRule through the real promtool: valid rules, and unit tests for each alert. */
@Tag("tools")
class AlertRulesTest {
  /** The alerts the issue asks for, by what they watch. */
  static final Set<String> ALERTS = Set.of(
      "StagegateReleaseRolledBack", "StagegateReleaseStalled", "StagegateReleaseInvalid", "StagegateCheckErrors",
      "StagegateMigrationFailed", "StagegateVerifyMismatches", "StagegateOperatorDown", "StagegateReconcileErrors");

  @TempDir
  Path dir;
  private JsonNode groups;

  @BeforeEach
  void renderRules() throws IOException {
    groups = renderedGroups(List.of());
    writeRules(groups);
    Files.copy(HelmChart.dir().resolve("tests/alerts_test.yaml"), dir.resolve("alerts_test.yaml"));
  }

  /** The `spec.groups` of the PrometheusRule the chart renders with these values (and the rule enabled). */
  static JsonNode renderedGroups(List<String> values) {
    List<String> sets = new java.util.ArrayList<>(values);
    sets.add("prometheusRule.enabled=true");
    return HelmChart.template(sets).one("PrometheusRule").path("spec").path("groups");
  }

  static Set<String> alertNames(JsonNode groups) {
    Set<String> names = new TreeSet<>();
    groups.forEach(g -> g.path("rules").forEach(r -> names.add(r.path("alert").asText())));
    return names;
  }

  @Test
  @DisplayName("given the rendered PrometheusRule, then promtool check rules accepts its groups and every required alert is there")
  void rulesAreValid() {
    assertThat(alertNames(groups)).isEqualTo(ALERTS);
    Result check = promtool("check", "rules", "rules.yaml");
    assertThat(check.exitCode()).as(check.output()).isZero();
    assertThat(check.output()).contains("SUCCESS: " + ALERTS.size() + " rules found");
  }

  @Test
  @DisplayName("given sample series, then promtool test rules shows each alert firing when it should and quiet otherwise")
  void alertUnitTestsPass() {
    Result test = promtool("test", "rules", "alerts_test.yaml");
    assertThat(test.exitCode()).as(test.output()).isZero();
    assertThat(test.output()).contains("SUCCESS");
  }

  @Test
  @DisplayName("given the unit tests, then every alert has a case where it fires and one where it stays quiet")
  void everyAlertIsTestedBothWays() throws IOException {
    JsonNode tests = HelmChart.YAML.readTree(dir.resolve("alerts_test.yaml").toFile()).path("tests");
    Set<String> fires = new TreeSet<>();
    Set<String> quiet = new TreeSet<>();
    for (JsonNode test : tests) {
      for (JsonNode c : test.path("alert_rule_test")) {
        (c.path("exp_alerts").isEmpty() ? quiet : fires).add(c.path("alertname").asText());
      }
    }
    assertThat(fires).as("alerts with a firing case").isEqualTo(ALERTS);
    assertThat(quiet).as("alerts with a quiet case").isEqualTo(ALERTS);
  }

  @Test
  @DisplayName("given a rule broken on purpose, then the same unit tests fail (they test the rendered rules, not themselves)")
  void unitTestsCatchABrokenRule() throws IOException {
    for (JsonNode group : groups) {
      for (JsonNode rule : group.path("rules")) {
        if (rule.path("alert").asText().equals("StagegateReleaseRolledBack")) {
          ((ObjectNode) rule).put("expr", rule.path("expr").asText().replace("RolledBack", "Promoted"));
        }
      }
    }
    writeRules(groups);
    Result test = promtool("test", "rules", "alerts_test.yaml");
    assertThat(test.exitCode()).isNotZero();
    assertThat(test.output()).contains("StagegateReleaseRolledBack");
  }

  @Test
  @DisplayName("given custom durations, job and labels, then the rendered alerts use them")
  void valuesReachTheRules() {
    JsonNode custom = renderedGroups(List.of("prometheusRule.pausedFor=3h", "prometheusRule.operatorJob=my-operator",
        "prometheusRule.additionalLabels.team=platform"));
    String text = custom.toString();
    assertThat(text).contains("\"for\":\"3h\"").contains("up{job=\\\"my-operator\\\"}");
    custom.forEach(g -> g.path("rules").forEach(r ->
        assertThat(r.path("labels").path("team").asText()).as(r.path("alert").asText()).isEqualTo("platform")));
  }

  private void writeRules(JsonNode groups) throws IOException {
    ObjectNode file = HelmChart.object();
    file.set("groups", groups);
    HelmChart.YAML.writeValue(dir.resolve("rules.yaml").toFile(), file);
  }

  record Result(int exitCode, String output) {}

  private Result promtool(String... args) {
    List<String> command = new java.util.ArrayList<>();
    command.add(RealComponent.promtool().toString());
    command.addAll(List.of(args));
    try {
      Path log = dir.resolve("promtool.log");
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("promtool " + List.of(args) + " did not finish in 60 s");
      }
      return new Result(p.exitValue(), Files.readString(log));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
