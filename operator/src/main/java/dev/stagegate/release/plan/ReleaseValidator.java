package dev.stagegate.release.plan;

import dev.stagegate.analysis.CounterQuery;
import dev.stagegate.analysis.PrometheusUrl;
import dev.stagegate.analysis.SequentialBudget;
import dev.stagegate.api.common.SecretRef;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleaseGate;
import dev.stagegate.api.release.ReleaseSpec;
import dev.stagegate.api.release.SequentialCheck;
import dev.stagegate.api.release.Stage;
import dev.stagegate.common.DurationRules;
import dev.stagegate.common.NotifyRules;
import dev.stagegate.common.StageRules;
import dev.stagegate.link.GateRules;
import dev.stagegate.routing.TrafficRoutingValidator;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's own check of a Release spec. The CRD schema rejects most of this at admission, but
 * the operator cannot rely on it (an older CRD, a mock server, a spec edited around the schema), and
 * some rules — the Secret's namespace, matchExpressions — no schema can say. Each message names the field.
 */
public final class ReleaseValidator {
  static final String HEADER_ONLY_RULE = "may be 0 only with spec.trafficRouting and match.headers or match.cookies"
      + " (a stage at weight 0 sends the canary only the requests its headers or cookie pick)";
  private static final String NAME = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";
  /** The Release's name is the value of its Deployments' and pods' stagegate.dev/release label. */
  static final int MAX_NAME = 63;

  private ReleaseValidator() {}

  public static List<String> validate(Release release) {
    List<String> errors = new ArrayList<>();
    String name = release.getMetadata() == null ? null : release.getMetadata().getName();
    if (name != null && name.length() > MAX_NAME) {
      // Else only the API server would refuse it, on the first Deployment, and the message would name spec.template.
      errors.add("metadata.name: at most " + MAX_NAME + " characters (it is the value of the stagegate.dev/release"
          + " label on the Release's Deployments and pods), got " + name.length());
    }
    ReleaseSpec spec = release.getSpec();
    if (spec == null) {
      errors.add("spec: is required");
      return errors;
    }
    if (spec.getReplicas() == null || spec.getReplicas() < 1) {
      errors.add("spec.replicas: must be at least 1, got " + spec.getReplicas());
    }
    if (spec.getTemplate() == null && spec.getWorkloadRef() == null) {
      errors.add("spec.template: is required (or spec.workloadRef, to adopt an existing Deployment)");
    }
    WorkloadRefRules.check(spec.getWorkloadRef(), errors);
    validateMaxSurge(spec.getMaxSurge(), errors);
    validateSelector(spec, errors);
    DurationRules.check("spec.progressDeadline", spec.getProgressDeadline(), DurationRules.PROGRESS_DEADLINE, errors);
    if (spec.getPrometheus() != null) {
      String url = spec.getPrometheus().getUrl();
      if (url != null) {
        PrometheusUrl.problem(url).ifPresent(p -> errors.add("spec.prometheus.url: " + p));
      }
      secretRef("spec.prometheus.secretRef", spec.getPrometheus().getSecretRef(),
          release.getMetadata().getNamespace(), errors);
    }
    validateStages(spec, errors);
    validateChecks(spec.getChecks(), errors);
    if (spec.getAnalysis() != null) {
      rate("spec.analysis.falseRollbackRate", spec.getAnalysis().getFalseRollbackRate(), errors);
      SequentialBudget.problem(spec).ifPresent(errors::add);
    }
    validateTrafficRouting(spec, errors);
    NotifyRules.check(spec.getNotify(), errors);
    List<ReleaseGate> gates = spec.gatesOrEmpty();
    for (int i = 0; i < gates.size(); i++) {
      ReleaseGate gate = gates.get(i);
      GateRules.check("spec.gates[" + i + "]", gate.getStage(), spec.getStages() == null ? 0 : spec.getStages().size(),
          "dataMigration", gate.getDataMigration(), gate.getUntil(), "Succeeded", errors);
    }
    return errors;
  }

  /** The routing engine's own rules, plus what only makes sense together with a route. */
  private static void validateTrafficRouting(ReleaseSpec spec, List<String> errors) {
    if (RouteSpecs.asked(spec)) {
      if (spec.getTrafficRouting().getGatewayAPI() == null) {
        errors.add("spec.trafficRouting.gatewayAPI: is required when trafficRouting is set");
      } else {
        String delay = spec.getTrafficRouting().getGatewayAPI().getScaleDownDelay();
        DurationRules.check("spec.trafficRouting.gatewayAPI.scaleDownDelay", delay, DurationRules.SCALE_DOWN_DELAY,
            errors);
        TrafficRoutingValidator.validate(RouteSpecs.routing(spec).orElseThrow()).forEach(e -> errors.add(colon(e)));
        RouteSpecs.grpcRoute(spec).ifPresent(name -> TrafficRoutingValidator
            .validateRouteName("spec.trafficRouting.gatewayAPI.grpcRoute", name).forEach(e -> errors.add(colon(e))));
      }
    }
    List<Stage> stages = spec.getStages() == null ? List.of() : spec.getStages();
    for (int i = 0; i < stages.size(); i++) {
      Stage stage = stages.get(i);
      if (stage.getMatch() == null) {
        continue;
      }
      String field = "spec.stages[" + i + "].match";
      if (!RouteSpecs.asked(spec)) {
        errors.add(field + ": header matches need spec.trafficRouting (pods cannot pick requests by header)");
      } else {
        TrafficRoutingValidator.validateHeaders(field + ".headers", RouteSpecs.headers(stage))
            .forEach(e -> errors.add(colon(e)));
        TrafficRoutingValidator.validateCookies(field + ".cookies", RouteSpecs.cookies(stage), RouteSpecs.headers(stage))
            .forEach(e -> errors.add(colon(e)));
      }
    }
  }

  /** The routing engine writes "field must ..."; this validator's messages are "field: must ...". */
  private static String colon(String message) {
    return message.replaceFirst("^(\\S+) ", "$1: ");
  }

  static void secretRef(String field, SecretRef ref, String namespace, List<String> errors) {
    if (ref == null) {
      return;
    }
    if (ref.getName() == null || ref.getName().isBlank()) {
      errors.add(field + ".name: is required");
    }
    if (ref.getNamespace() != null && !ref.getNamespace().equals(namespace)) {
      errors.add(field + ".namespace: the Secret must be in the resource's own namespace '" + namespace
          + "', got '" + ref.getNamespace() + "'");
    }
  }

  private static void validateSelector(ReleaseSpec spec, List<String> errors) {
    LabelSelector selector = spec.getSelector();
    if (selector == null) {
      errors.add("spec.selector: is required");
      return;
    }
    Map<String, String> wanted = selector.getMatchLabels();
    if (wanted == null || wanted.isEmpty()) {
      errors.add("spec.selector.matchLabels: at least one label is required");
      return;
    }
    if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
      errors.add("spec.selector.matchExpressions: not supported, use matchLabels");
    }
    if (spec.getTemplate() == null) {
      return; // reported as spec.template (or waiting for spec.workloadRef's Deployment)
    }
    Map<String, String> labels = spec.getTemplate().getMetadata() == null
        ? Map.of() : spec.getTemplate().getMetadata().getLabels();
    for (Map.Entry<String, String> label : wanted.entrySet()) {
      if (labels == null || !label.getValue().equals(labels.get(label.getKey()))) {
        errors.add("spec.selector.matchLabels: " + label.getKey() + "=" + label.getValue()
            + " does not match spec.template.metadata.labels");
      }
    }
  }

  private static void validateMaxSurge(IntOrString maxSurge, List<String> errors) {
    if (maxSurge == null) {
      return;
    }
    boolean valid = maxSurge.getIntVal() != null ? maxSurge.getIntVal() >= 1
        : maxSurge.getStrVal() != null && maxSurge.getStrVal().matches("^[1-9][0-9]{0,3}%$");
    if (!valid) {
      errors.add("spec.maxSurge: must be a number of pods of at least 1 or a percentage like 50%, got '"
          + (maxSurge.getIntVal() != null ? maxSurge.getIntVal() : maxSurge.getStrVal()) + "'");
    }
  }

  private static void validateStages(ReleaseSpec spec, List<String> errors) {
    List<Stage> stages = spec.getStages();
    // Weight 0 is a header-only stage: only a route can send a request to the canary by its headers.
    StageRules.check(stages, Stage::getName, Stage::getWeight, "weight", NAME, "a DNS label",
        stage -> RouteSpecs.headerOnlyAllowed(spec, stage), HEADER_ONLY_RULE, errors);
    if (stages != null) {
      for (int i = 0; i < stages.size(); i++) {
        DurationRules.check("spec.stages[" + i + "].duration", stages.get(i).getDuration(), DurationRules.STAGE_DURATION,
            errors);
      }
    }
  }

  private static void validateChecks(List<Check> checks, List<String> errors) {
    if (checks == null) {
      return;
    }
    Map<String, Check> byName = new HashMap<>();
    for (int i = 0; i < checks.size(); i++) {
      Check check = checks.get(i);
      String field = "spec.checks[" + i + "]";
      int before = errors.size();
      if (check.getName() == null || !check.getName().matches(NAME)) {
        errors.add(field + ".name: must be a DNS label, got '" + check.getName() + "'");
      } else {
        Check earlier = byName.putIfAbsent(check.getName(), check);
        // A name shared with a template check is refused by the template resolution, naming both origins.
        if (earlier != null && earlier.getTemplateRef() == null && check.getTemplateRef() == null) {
          errors.add(field + ".name: '" + check.getName() + "' is used by an earlier check");
        }
      }
      // A template whose check is not there yet: the reconciler holds the canary, nothing here to check.
      if (!check.unresolvedTemplate()) {
        validateCheckBody(field, check, errors);
      }
      if (check.getTemplateRef() != null) {
        // The body came from a template: say which, or the field would point at nothing the Release holds.
        for (int e = before; e < errors.size(); e++) {
          errors.set(e, errors.get(e) + " (from " + check.getTemplateRef().describe() + ")");
        }
      }
    }
  }

  private static void validateCheckBody(String field, Check check, List<String> errors) {
    DurationRules.check(field + ".interval", check.getInterval(), DurationRules.INTERVAL, errors);
    if (check.getFailureLimit() != null && check.getFailureLimit() < 1) {
      errors.add(field + ".failureLimit: must be at least 1, got " + check.getFailureLimit());
    }
    boolean prometheus = check.getPrometheus() != null;
    boolean sequential = check.getSequential() != null;
    boolean latency = check.getSequentialLatency() != null;
    if ((prometheus ? 1 : 0) + (sequential ? 1 : 0) + (latency ? 1 : 0) != 1) {
      errors.add(field + ": needs exactly one of prometheus, sequential or sequentialLatency");
      return;
    }
    if (latency) {
      SequentialLatencyRules.check(field, check, errors);
    } else if (prometheus) {
      if (blank(check.getPrometheus().getQuery())) {
        errors.add(field + ".prometheus.query: must not be empty");
      }
      DurationRules.check(field + ".prometheus.timeout", check.getPrometheus().getTimeout(), DurationRules.QUERY_TIMEOUT,
          errors);
      if (check.getMin() == null && check.getMax() == null && check.getCompare() == null) {
        errors.add(field + ": needs min, max or compare");
      }
      if (check.getMin() != null && check.getMax() != null && check.getMin() > check.getMax()) {
        errors.add(field + ".min: must not exceed max (" + check.getMin() + " > " + check.getMax() + ")");
      }
      if (check.getCompare() != null) {
        var compare = check.getCompare();
        if (compare.getMaxIncrease() == null && compare.getMaxDelta() == null) {
          errors.add(field + ".compare: needs maxIncrease or maxDelta");
        }
        if (compare.getBaseline() != null && !"stable".equals(compare.getBaseline())) {
          errors.add(field + ".compare.baseline: only 'stable' is supported, got '" + compare.getBaseline() + "'");
        }
      }
    } else {
      var seq = check.getSequential();
      counterQuery(field + ".sequential.errors", seq.getErrors(), errors);
      counterQuery(field + ".sequential.requests", seq.getRequests(), errors);
      rate(field + ".sequential.falseRollbackRate", seq.getFalseRollbackRate(), errors);
      rate(field + ".sequential.falsePromotionRate", seq.getFalsePromotionRate(), errors);
      if (seq.getMaxRelativeIncrease() != null && seq.getMaxRelativeIncrease() < 0) {
        errors.add(field + ".sequential.maxRelativeIncrease: must not be negative");
      }
      if (check.getMin() != null || check.getMax() != null || check.getCompare() != null) {
        errors.add(field + ": min, max and compare do not apply to a sequential check");
      }
    }
  }


  /** An error rate (alpha or beta) as the CRD bounds it; null means the default. */
  static void rate(String field, Double value, List<String> errors) {
    if (value != null && !(value >= SequentialCheck.MIN_RATE && value <= SequentialCheck.MAX_RATE)) {
      errors.add(field + ": must be in [" + SequentialCheck.MIN_RATE + ", " + SequentialCheck.MAX_RATE + "], got "
          + value);
    }
  }

  /**
   * A sequential check needs cumulative counts: rate()/increase() over windows, range selectors or a zero fallback
   * would void its false-rollback bound, so they are refused here, before any stage starts.
   */
  static void counterQuery(String field, String query, List<String> errors) {
    if (CounterQuery.parse(field, query) instanceof CounterQuery.Refused refused) {
      errors.add(refused.message());
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
