package dev.stagegate.templates;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.PrometheusQuery;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.api.release.SequentialCheck;
import dev.stagegate.api.release.SequentialLatencyCheck;
import dev.stagegate.api.templates.CheckTemplateRef;
import dev.stagegate.api.templates.CheckTemplateSpec;
import dev.stagegate.api.templates.TemplateArg;
import dev.stagegate.api.templates.TemplateKind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TemplateResolverTest {
  private static final String NS = "shop";
  private final Map<String, CheckTemplateSpec> store = new HashMap<>();
  private final TemplateLookup lookup = (kind, namespace, name) ->
      Optional.ofNullable(store.get(kind + "/" + (kind == TemplateKind.CheckTemplate ? namespace + "/" : "") + name));

  private static final String ERROR_RATIO = "sum(rate(http_requests_total{service=\"{{args.service}}\",code=~\"{{args.codes}}\","
      + "revision=\"{{revision}}\"}[{{args.window}}])) / sum(rate(http_requests_total{revision=\"{{revision}}\"}[{{args.window}}]))";

  private void clusterTemplate(String name, String query, TemplateArg... args) {
    CheckTemplateSpec spec = new CheckTemplateSpec();
    Check body = new Check();
    body.setInterval("30s");
    body.setMax(0.05);
    body.setPrometheus(new PrometheusQuery(query));
    spec.setCheck(body);
    spec.setArgs(new ArrayList<>(List.of(args)));
    store.put("ClusterCheckTemplate/" + name, spec);
  }

  private static Check ref(String checkName, TemplateKind kind, String template, Map<String, String> args) {
    Check c = new Check();
    c.setName(checkName);
    c.setTemplateRef(new CheckTemplateRef(kind, template));
    c.setArgs(args);
    return c;
  }

  private static Map<String, String> args(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  private void errorRate() {
    clusterTemplate("error-rate", ERROR_RATIO, new TemplateArg("service", null), new TemplateArg("codes", "5.."),
        new TemplateArg("window", "1m"));
  }

  @Test
  @DisplayName("given a template with args and defaults, when a check gives some, then {{args.*}} are filled (given, else default) and {{revision}} is left for evaluation")
  void fillsArgumentsAndKeepsBuiltIns() {
    errorRate();
    Check entry = ref(null, TemplateKind.ClusterCheckTemplate, "error-rate", args("service", "checkout", "window", "2m"));

    FreshChecks fresh = TemplateResolver.resolve(List.of(entry), NS, lookup);

    Check resolved = fresh.entries().get(0).check();
    assertThat(fresh.entries().get(0).errors()).isEmpty();
    assertThat(resolved.getName()).as("the template's name").isEqualTo("error-rate");
    assertThat(resolved.getPrometheus().getQuery()).isEqualTo(
        "sum(rate(http_requests_total{service=\"checkout\",code=~\"5..\",revision=\"{{revision}}\"}[2m]))"
            + " / sum(rate(http_requests_total{revision=\"{{revision}}\"}[2m]))");
    assertThat(resolved.getMax()).isEqualTo(0.05);
    assertThat(resolved.getTemplateRef().describe()).isEqualTo("ClusterCheckTemplate/error-rate");
    assertThat(store.get("ClusterCheckTemplate/error-rate").getCheck().getPrometheus().getQuery())
        .as("the template itself is untouched").isEqualTo(ERROR_RATIO);
  }

  @Test
  @DisplayName("given a sequential template, when resolved, then both counter queries get the arguments")
  void fillsSequentialQueries() {
    CheckTemplateSpec spec = new CheckTemplateSpec();
    Check body = new Check();
    SequentialCheck seq = new SequentialCheck();
    seq.setErrors("sum(http_requests_total{job=\"{{args.job}}\",code=~\"5..\",revision=\"{{revision}}\"})");
    seq.setRequests("sum(http_requests_total{job=\"{{ args.job }}\",revision=\"{{revision}}\"})");
    body.setSequential(seq);
    spec.setCheck(body);
    spec.setArgs(List.of(new TemplateArg("job", null)));
    store.put("CheckTemplate/shop/errors-seq", spec);

    FreshChecks fresh = TemplateResolver.resolve(
        List.of(ref("errors", TemplateKind.CheckTemplate, "errors-seq", args("job", "web"))), NS, lookup);

    SequentialCheck resolved = fresh.entries().get(0).check().getSequential();
    assertThat(resolved.getErrors()).isEqualTo("sum(http_requests_total{job=\"web\",code=~\"5..\",revision=\"{{revision}}\"})");
    assertThat(resolved.getRequests()).isEqualTo("sum(http_requests_total{job=\"web\",revision=\"{{revision}}\"})");
  }

  @Test
  @DisplayName("given a required argument the check does not give, then it is refused naming spec.checks[i].args.NAME")
  void missingRequiredArgument() {
    errorRate();
    FreshChecks fresh = TemplateResolver.resolve(
        List.of(ref("errors", TemplateKind.ClusterCheckTemplate, "error-rate", args())), NS, lookup);

    assertThat(fresh.entries().get(0).check()).isNull();
    assertThat(fresh.entries().get(0).errors()).containsExactly(
        "spec.checks[0].args.service: is required by ClusterCheckTemplate/error-rate (it has no default)");
  }

  @Test
  @DisplayName("given an argument the template does not declare, then it is refused naming the argument and listing the template's")
  void unknownArgument() {
    errorRate();
    FreshChecks fresh = TemplateResolver.resolve(List.of(ref("errors", TemplateKind.ClusterCheckTemplate, "error-rate",
        args("service", "web", "servcie", "web"))), NS, lookup);

    assertThat(fresh.entries().get(0).errors()).containsExactly("spec.checks[0].args.servcie: ClusterCheckTemplate/error-rate"
        + " has no argument 'servcie' (it has: codes, service, window)");
  }

  @Test
  @DisplayName("given a template declaring an argument named like a built-in placeholder, then it is refused (schema admission aside)")
  void builtInCollision() {
    clusterTemplate("by-revision", "sum(x{revision=\"{{args.revision}}\"})", new TemplateArg("revision", "a"));
    FreshChecks fresh = TemplateResolver.resolve(
        List.of(ref("x", TemplateKind.ClusterCheckTemplate, "by-revision", null)), NS, lookup);

    assertThat(fresh.entries().get(0).errors()).anySatisfy(e -> assertThat(e)
        .startsWith("spec.checks[0].templateRef: ClusterCheckTemplate/by-revision declares argument 'revision',"
            + " which collides with the built-in {{revision}}"));
  }

  @Test
  @DisplayName("given a template whose query uses an argument it does not declare, then it is refused rather than sent to Prometheus")
  void undeclaredPlaceholder() {
    clusterTemplate("typo", "sum(x{job=\"{{args.jbo}}\"})", new TemplateArg("job", "web"));
    FreshChecks fresh = TemplateResolver.resolve(
        List.of(ref("x", TemplateKind.ClusterCheckTemplate, "typo", null)), NS, lookup);

    assertThat(fresh.entries().get(0).errors()).containsExactly(
        "spec.checks[0].templateRef: ClusterCheckTemplate/typo uses {{args.jbo}} but declares no argument 'jbo'");
  }

  @Test
  @DisplayName("given a template that is not there, then it is missing (not refused): a new canary waits for it")
  void missingTemplate() {
    FreshChecks fresh = TemplateResolver.resolve(
        List.of(ref(null, TemplateKind.CheckTemplate, "latency", null)), NS, lookup);

    assertThat(fresh.entries().get(0).errors()).isEmpty();
    assertThat(fresh.missing()).contains("spec.checks[0].templateRef: CheckTemplate/latency not found in namespace shop");
  }

  @Test
  @DisplayName("given two entries that end up with one check name (the same template twice, or a template named like an inline check), then the later one is refused naming both (argo-rollouts#1851)")
  void nameCollisions() {
    errorRate();
    Check inline = new Check();
    inline.setName("error-rate");
    inline.setMax(1.0);
    inline.setPrometheus(new PrometheusQuery("up"));
    List<Check> spec = List.of(
        ref(null, TemplateKind.ClusterCheckTemplate, "error-rate", args("service", "web")),
        ref(null, TemplateKind.ClusterCheckTemplate, "error-rate", args("service", "api")),
        inline,
        ref("error-rate-api", TemplateKind.ClusterCheckTemplate, "error-rate", args("service", "api")));

    EffectiveChecks effective = EffectiveChecks.of(spec, TemplateResolver.resolve(spec, NS, lookup), new ReleaseStatus());

    assertThat(effective.invalid()).containsExactly(
        "spec.checks[1].name: check name 'error-rate' is also the name of spec.checks[0] (from"
            + " ClusterCheckTemplate/error-rate); give one of them its own name",
        "spec.checks[2].name: check name 'error-rate' is also the name of spec.checks[0] (from"
            + " ClusterCheckTemplate/error-rate); give one of them its own name");
  }

  @Test
  @DisplayName("given a recorded check for the running canary, when the template has changed since, then the recorded one is used; with other args, the fresh one")
  void recordedWinsForTheRunningCanary() {
    errorRate();
    List<Check> spec = List.of(ref(null, TemplateKind.ClusterCheckTemplate, "error-rate", args("service", "web")));
    ReleaseStatus status = new ReleaseStatus();
    status.setCanaryRevision("abc");
    TemplateRecords.keep(status, TemplateResolver.resolve(spec, NS, lookup));
    store.get("ClusterCheckTemplate/error-rate").getCheck().setMax(0.5);

    EffectiveChecks running = EffectiveChecks.of(spec, TemplateResolver.resolve(spec, NS, lookup), status);
    assertThat(running.checks().get(0).getMax()).isEqualTo(0.05);

    List<Check> otherArgs = List.of(ref(null, TemplateKind.ClusterCheckTemplate, "error-rate", args("service", "api")));
    EffectiveChecks changed = EffectiveChecks.of(otherArgs, TemplateResolver.resolve(otherArgs, NS, lookup), status);
    assertThat(changed.checks().get(0).getMax()).isEqualTo(0.5);

    status.setCanaryRevision("def");
    TemplateRecords.keep(status, TemplateResolver.resolve(spec, NS, lookup));
    assertThat(status.getTemplateChecks()).singleElement()
        .satisfies(r -> assertThat(r.getRevision()).isEqualTo("def"))
        .satisfies(r -> assertThat(r.getCheck().getMax()).as("a new canary resolves afresh").isEqualTo(0.5))
        .satisfies(r -> assertThat(r.getCheck().getTemplateRef()).as("the schema forbids a body beside a ref").isNull());
  }

  @Test
  @DisplayName("given a sequentialLatency template, when a Release references it with args, then bucket, count and slowerThan are filled, {{le}} and {{revision}} are left for evaluation, and the check is resolved, not waiting")
  void sequentialLatencyTemplate() {
    CheckTemplateSpec spec = new CheckTemplateSpec();
    Check body = new Check();
    SequentialLatencyCheck latency = new SequentialLatencyCheck();
    latency.setBucket("sum({{args.histogram}}_bucket{revision=\"{{revision}}\",le=\"{{le}}\"})");
    latency.setCount("sum({{args.histogram}}_count{revision=\"{{revision}}\"})");
    latency.setSlowerThan(List.of("{{args.le}}", "2.5"));
    body.setSequentialLatency(latency);
    spec.setCheck(body);
    spec.setArgs(List.of(new TemplateArg("histogram", "http_request_duration_seconds"), new TemplateArg("le", null)));
    store.put("ClusterCheckTemplate/latency-sequential", spec);

    FreshChecks fresh = TemplateResolver.resolve(
        List.of(ref(null, TemplateKind.ClusterCheckTemplate, "latency-sequential", args("le", "0.5"))), NS, lookup);

    FreshChecks.Entry entry = fresh.entries().get(0);
    assertThat(entry.errors()).isEmpty();
    assertThat(entry.check().unresolvedTemplate()).isFalse();
    SequentialLatencyCheck resolved = entry.check().getSequentialLatency();
    assertThat(resolved.getBucket())
        .isEqualTo("sum(http_request_duration_seconds_bucket{revision=\"{{revision}}\",le=\"{{le}}\"})");
    assertThat(resolved.getCount()).isEqualTo("sum(http_request_duration_seconds_count{revision=\"{{revision}}\"})");
    assertThat(resolved.getSlowerThan()).containsExactly("0.5", "2.5");

    FreshChecks missingLe = TemplateResolver.resolve(
        List.of(ref(null, TemplateKind.ClusterCheckTemplate, "latency-sequential", null)), NS, lookup);
    assertThat(missingLe.entries().get(0).errors()).containsExactly(
        "spec.checks[0].args.le: is required by ClusterCheckTemplate/latency-sequential (it has no default)");
  }
}
