package dev.stagegate.release;

import static dev.stagegate.release.ReleaseScenario.STEP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.PrometheusQuery;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseReasons;
import dev.stagegate.api.templates.CheckTemplateRef;
import dev.stagegate.api.templates.CheckTemplateSpec;
import dev.stagegate.api.templates.TemplateArg;
import dev.stagegate.api.templates.TemplateKind;
import dev.stagegate.common.Conditions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A Release whose check comes from a ClusterCheckTemplate, driven through the planner as the reconciler does. */
class ReleaseTemplateTest {
  private static final String V2 = "registry.example/web:2.0";
  private static final String V3 = "registry.example/web:3.0";
  private final Map<String, CheckTemplateSpec> clusterTemplates = new HashMap<>();

  private void template(String query) {
    CheckTemplateSpec spec = new CheckTemplateSpec();
    Check body = new Check();
    body.setInterval("30s");
    body.setMax(0.05);
    body.setPrometheus(new PrometheusQuery(query));
    spec.setCheck(body);
    spec.setArgs(List.of(new TemplateArg("service", null)));
    clusterTemplates.put("error-rate", spec);
  }

  private ReleaseScenario templated() {
    ReleaseScenario s = ReleaseScenario.standard()
        .templates((kind, ns, name) -> kind == TemplateKind.ClusterCheckTemplate
            ? Optional.ofNullable(clusterTemplates.get(name)) : Optional.empty());
    Check entry = new Check();
    entry.setTemplateRef(new CheckTemplateRef(TemplateKind.ClusterCheckTemplate, "error-rate"));
    entry.setArgs(Map.of("service", "web"));
    s.edit(spec -> spec.setChecks(new ArrayList<>(List.of(entry))));
    return s;
  }

  private static String lastQuery(ReleaseScenario s) {
    List<Check> checks = s.evaluatedChecks();
    return checks.get(checks.size() - 1).getPrometheus().getQuery();
  }

  @Test
  @DisplayName("given a canary whose check comes from a ClusterCheckTemplate, when the template is edited mid-canary (and the operator restarts every turn), then the running canary keeps the recorded check and the next canary uses the new one")
  void templateChangeAppliesToTheNextCanary() {
    template("errors_v1{service=\"{{args.service}}\",revision=\"{{revision}}\"}");
    ReleaseScenario s = templated().restartEveryTurn();
    s.deployFirstRevision();
    s.changeTemplate(V2);
    s.runUntil(x -> !x.evaluatedChecks().isEmpty(), Duration.ofMinutes(2));
    assertThat(lastQuery(s)).isEqualTo("errors_v1{service=\"web\",revision=\"{{revision}}\"}");
    assertThat(s.status().getTemplateChecks()).singleElement()
        .satisfies(r -> assertThat(r.getRevision()).isEqualTo(s.revision()));

    template("errors_v2{service=\"{{args.service}}\",revision=\"{{revision}}\"}");
    int seen = s.evaluatedChecks().size();
    s.runUntilPhase(ReleasePhase.Promoted, Duration.ofMinutes(15));

    assertThat(s.evaluatedChecks().subList(seen, s.evaluatedChecks().size())).isNotEmpty()
        .allSatisfy(c -> assertThat(c.getPrometheus().getQuery()).startsWith("errors_v1"));
    assertThat(s.status().getTemplateChecks()).as("no canary, no record").isNull();

    s.changeTemplate(V3);
    s.runUntil(x -> x.evaluatedChecks().size() > seen + 100 || lastQuery(x).startsWith("errors_v2"), Duration.ofMinutes(2));
    assertThat(lastQuery(s)).isEqualTo("errors_v2{service=\"web\",revision=\"{{revision}}\"}");
    assertThat(s.checkStatus("error-rate")).as("the check goes by the template's name").isNotNull();
  }

  @Test
  @DisplayName("given a new revision whose check template is not there yet, then no canary Deployment is made and the Release says what it waits for; when the template arrives, the canary starts")
  void missingTemplateHoldsTheCanary() {
    ReleaseScenario s = templated();
    s.deployFirstRevision();
    String stable = s.revision();
    String v2 = s.changeTemplate(V2);
    s.runFor(Duration.ofMinutes(1));

    assertThat(s.exists(v2)).as("no canary Deployment").isFalse();
    assertThat(s.status().getCanaryRevision()).isNull();
    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Progressing);
    assertThat(s.status().getMessage()).isEqualTo("revision " + v2 + " waits for its check templates:"
        + " spec.checks[0].templateRef: ClusterCheckTemplate/error-rate not found; its canary starts when they exist;"
        + " revision " + stable + " serves with 10/10 ready pods");
    assertThat(s.condition(Conditions.READY).getStatus()).isEqualTo("False");
    assertThat(s.reasons().stream().filter(ReleaseReasons.Event.TemplatePending.name()::equals)).as("one Event").hasSize(1);

    template("errors{service=\"{{args.service}}\",revision=\"{{revision}}\"}");
    s.turnAfter(STEP);

    assertThat(s.status().getCanaryRevision()).isEqualTo(v2);
    assertThat(s.status().getTemplateChecks()).singleElement()
        .satisfies(r -> assertThat(r.getCheck().getPrometheus().getQuery()).isEqualTo("errors{service=\"web\",revision=\"{{revision}}\"}"));
  }

  @Test
  @DisplayName("given a template check without its required argument, then the Release is InvalidSpec naming spec.checks[0].args.service and nothing is deployed")
  void missingArgumentIsInvalidSpec() {
    template("errors{service=\"{{args.service}}\"}");
    ReleaseScenario s = templated();
    s.edit(spec -> spec.getChecks().get(0).setArgs(null));

    s.turn();

    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Failed);
    assertThat(s.status().getMessage()).isEqualTo(
        "invalid spec: spec.checks[0].args.service: is required by ClusterCheckTemplate/error-rate (it has no default)");
    assertThat(s.lastPlan().changes()).isEmpty();
  }

  @Test
  @DisplayName("given a sequential template whose query uses rate(), then the Release is InvalidSpec naming the field and the template it came from")
  void templateBodyIsValidatedLikeAnInlineCheck() {
    CheckTemplateSpec spec = new CheckTemplateSpec();
    Check body = new Check();
    dev.stagegate.api.release.SequentialCheck seq = new dev.stagegate.api.release.SequentialCheck();
    seq.setErrors("sum(rate(errors_total{revision=\"{{revision}}\"}[1m]))");
    seq.setRequests("sum(requests_total{revision=\"{{revision}}\"})");
    body.setSequential(seq);
    spec.setCheck(body);
    spec.setArgs(List.of(new TemplateArg("service", null)));
    clusterTemplates.put("error-rate", spec);
    ReleaseScenario s = templated();

    s.turn();

    assertThat(s.status().getPhase()).isEqualTo(ReleasePhase.Failed);
    assertThat(s.status().getMessage()).startsWith("invalid spec: spec.checks[0].sequential.errors: ")
        .endsWith(" (from ClusterCheckTemplate/error-rate)");
  }

  @Test
  @DisplayName("given the same template twice without names, then the Release is InvalidSpec once, naming both entries")
  void sameTemplateTwiceIsOneRefusal() {
    template("errors{service=\"{{args.service}}\"}");
    ReleaseScenario s = templated();
    s.edit(spec -> {
      Check again = new Check();
      again.setTemplateRef(new CheckTemplateRef(TemplateKind.ClusterCheckTemplate, "error-rate"));
      again.setArgs(Map.of("service", "api"));
      spec.getChecks().add(again);
    });

    s.turn();

    assertThat(s.status().getMessage()).isEqualTo("invalid spec: spec.checks[1].name: check name 'error-rate' is also"
        + " the name of spec.checks[0] (from ClusterCheckTemplate/error-rate); give one of them its own name");
  }
}
