package dev.stagegate.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The chart's Grafana dashboard (helm/stagegate/dashboards/stagegate.json), read as Grafana would. */
final class Dashboard {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");

  final JsonNode json;

  private Dashboard(JsonNode json) {
    this.json = json;
  }

  static Dashboard load() {
    try {
      return new Dashboard(new ObjectMapper().readTree(HelmChart.dir().resolve("dashboards/stagegate.json").toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One query of one panel. */
  record Target(String panel, String refId, String expr) {}

  /** Every panel, rows' nested panels included. */
  List<JsonNode> panels() {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode panel : json.path("panels")) {
      out.add(panel);
      panel.path("panels").forEach(out::add);
    }
    return out;
  }

  List<JsonNode> dataPanels() {
    return panels().stream().filter(p -> !"row".equals(p.path("type").asText())).toList();
  }

  List<Target> targets() {
    List<Target> out = new ArrayList<>();
    for (JsonNode panel : dataPanels()) {
      for (JsonNode t : panel.path("targets")) {
        out.add(new Target(panel.path("title").asText(), t.path("refId").asText(), t.path("expr").asText()));
      }
    }
    return out;
  }

  /** Template variables by name. */
  Map<String, JsonNode> variables() {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    json.path("templating").path("list").forEach(v -> out.put(v.path("name").asText(), v));
    return out;
  }

  /** The query of a query variable, e.g. label_values(stagegate_release_phase{...}, name). */
  static String variableQuery(JsonNode variable) {
    JsonNode query = variable.path("query");
    return query.isTextual() ? query.asText() : query.path("query").asText();
  }

  /** Names of the variables a query uses ($x or ${x}). */
  static List<String> variablesIn(String expr) {
    List<String> names = new ArrayList<>();
    Matcher m = VARIABLE.matcher(expr);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** Replaces variables by values, as Grafana does before it sends a query; fails on any left over. */
  static String substitute(String expr, Map<String, String> values) {
    Matcher m = VARIABLE.matcher(expr);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = values.get(m.group(1));
      if (value == null) {
        throw new AssertionError("no value for variable $" + m.group(1) + " in " + expr);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
