package dev.stagegate.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the plugin shows of one Release or DataMigration, read from the object as the API server returns
 * it (plain JSON, so the plugin does not depend on the operator's classes; a missing field is simply null).
 *
 * @param stale the status describes an older spec (observedGeneration behind metadata.generation): it
 *     must not count as finished, or CI would pass on the previous rollout's outcome
 */
record Rollout(Kind kind, String namespace, String name, String phase, String pauseReason, boolean stale,
    long generation, String stage, String weight, List<CheckLine> checks, List<Map.Entry<String, String>> details,
    String message, String action) {

  /** One check's latest outcome: name, result (Pass/Fail/NoData/Error), value and a short note. */
  record CheckLine(String name, String result, String value, String note) {}

  static Rollout of(Kind kind, GenericKubernetesResource resource) {
    Json root = new Json(resource.getAdditionalProperties());
    Json status = root.at("status");
    Json spec = root.at("spec");
    long generation = Objects.requireNonNullElse(resource.getMetadata().getGeneration(), 0L);
    Long observed = status.number("observedGeneration");
    boolean stale = status.isPresent() && observed != null && observed < generation;
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    String action = annotations == null ? null : annotations.get(Action.ANNOTATION);
    List<Map.Entry<String, String>> details = new ArrayList<>();
    List<CheckLine> checks = new ArrayList<>();
    String stage;
    String weight;
    if (kind == Kind.RELEASE) {
      Json current = status.at("currentStage");
      stage = position(current.text("name"), current.number("index"), spec.list("stages").size());
      Long actual = status.number("actualWeight");
      Long requested = status.number("requestedWeight");
      weight = actual == null ? null
          : requested != null && !requested.equals(actual) ? actual + "% (to " + requested + "%)" : actual + "%";
      String stable = status.text("stableRevision");
      String canary = status.text("canaryRevision");
      if (stable != null || canary != null) {
        details.add(Map.entry("Revisions:", "stable " + dash(stable) + (canary == null ? "" : ", canary " + canary)));
      }
      if (status.text("failedRevision") != null) {
        details.add(Map.entry("Failed:", "revision " + status.text("failedRevision") + " (not retried by itself)"));
      }
      for (Json c : status.list("checks")) {
        Long evaluations = c.number("evaluations");
        Long failures = c.number("consecutiveFailures");
        String note = (evaluations == null ? "" : evaluations + (evaluations == 1 ? " evaluation" : " evaluations"))
            + (failures != null && failures > 0 ? ", " + failures + " failed in a row" : "");
        checks.add(new CheckLine(c.text("name"), c.text("lastResult"), c.text("lastValue"), note));
      }
    } else {
      String current = status.text("currentStage");
      List<Json> specStages = spec.list("stages");
      Long index = null;
      Long percent = null;
      for (int i = 0; i < specStages.size(); i++) {
        if (Objects.equals(specStages.get(i).text("name"), current)) {
          index = (long) i;
          percent = specStages.get(i).number("percent");
        }
      }
      for (Json s : status.list("stages")) {
        if (Objects.equals(s.text("name"), current) && s.number("percent") != null) {
          percent = s.number("percent");
        }
      }
      stage = position(current, index, specStages.size());
      weight = current == null || percent == null ? null : percent + "%";
      Long migrated = status.number("rowsMigrated");
      Long total = status.number("rowsTotal");
      if (migrated != null || total != null) {
        details.add(Map.entry("Rows:", dash(migrated) + " of " + dash(total) + " migrated"));
      }
      if (status.text("failureReason") != null) {
        details.add(Map.entry("Failure:", status.text("failureReason")));
      }
      for (Json v : status.list("verify")) {
        String where = v.text("stage") == null ? "" : "stage " + v.text("stage");
        Long changed = v.number("changed");
        Long missing = v.number("missing");
        Long extra = v.number("extra");
        String rows = changed == null && missing == null && extra == null ? ""
            : dash(missing) + " missing, " + dash(extra) + " extra, " + dash(changed) + " changed";
        String note = where.isEmpty() ? rows : rows.isEmpty() ? where : where + ": " + rows;
        checks.add(new CheckLine(v.text("name"), v.text("result"), v.text("value"), note));
      }
    }
    if (status.text("lastAction") != null) {
      details.add(Map.entry("Last action:", status.text("lastAction")));
    }
    return new Rollout(kind, resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
        status.text("phase"), status.text("pauseReason"), stale, generation, stage, weight, checks, details,
        status.text("message"), action);
  }

  boolean succeeded() {
    return !stale && phase != null && kind.succeeded(phase);
  }

  boolean failed() {
    return !stale && phase != null && kind.failed(phase);
  }

  /** `Paused (AwaitingApproval)`, or `Waiting` before the operator has written any status. */
  String phaseText() {
    if (phase == null) {
      return "Waiting";
    }
    return pauseReason != null && phase.equals("Paused") ? phase + " (" + pauseReason + ")" : phase;
  }

  /** For the table: `2/3 Pass`, or with the worst ones named: `1/2 Pass, latency Fail`. */
  String checksSummary() {
    if (checks.isEmpty()) {
      return "-";
    }
    long passing = checks.stream().filter(c -> "Pass".equals(c.result())).count();
    StringBuilder s = new StringBuilder(passing + "/" + checks.size() + " Pass");
    for (CheckLine c : checks) {
      if (c.result() != null && !"Pass".equals(c.result())) {
        s.append(", ").append(c.name()).append(' ').append(c.result());
      }
    }
    return s.toString();
  }

  private static String position(String name, Long index, int total) {
    if (name == null) {
      return null;
    }
    return index == null ? name : name + " (" + (index + 1) + "/" + total + ")";
  }

  static String dash(Object value) {
    return value == null ? "-" : value.toString();
  }

  /** A null-tolerant walk through the JSON maps and lists of an object. */
  private record Json(Object value) {
    Json at(String key) {
      return new Json(value instanceof Map<?, ?> map ? map.get(key) : null);
    }

    boolean isPresent() {
      return value != null;
    }

    String text(String key) {
      Object v = at(key).value;
      return v == null ? null : v.toString();
    }

    Long number(String key) {
      Object v = at(key).value;
      return v instanceof Number n ? Long.valueOf(n.longValue()) : null;
    }

    List<Json> list(String key) {
      Object v = at(key).value;
      return v instanceof List<?> items ? items.stream().map(Json::new).toList() : List.of();
    }
  }
}
