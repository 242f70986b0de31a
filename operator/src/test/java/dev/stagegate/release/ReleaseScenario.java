package dev.stagegate.release;

import dev.stagegate.release.plan.DeploymentState;
import dev.stagegate.link.LinkView;
import dev.stagegate.release.plan.ReleaseObservation;
import dev.stagegate.release.plan.ReleasePlan;
import dev.stagegate.release.plan.ReleasePlanner;
import dev.stagegate.release.plan.WorkloadChange;
import dev.stagegate.analysis.CheckOutcome;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.common.CheckResult;
import dev.stagegate.api.release.CheckStatus;
import dev.stagegate.api.release.PrometheusQuery;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseSpec;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.api.release.Stage;
import dev.stagegate.api.release.GatewayApiTraffic;
import dev.stagegate.api.release.TrafficRouting;
import dev.stagegate.common.Conditions;
import dev.stagegate.routing.BackendWeights;
import dev.stagegate.routing.RouteAcceptance;
import dev.stagegate.routing.TrafficRouter;
import dev.stagegate.common.Note;
import dev.stagegate.templates.TemplateLookup;
import dev.stagegate.templates.TemplatedRelease;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A Release driven turn by turn the way the reconciler drives it, against a simulated cluster: a
 * kubelet that makes every scaled Deployment's pods ready by the next turn (unless held back), checks
 * whose results come from a script, and a clock that moves only when the test says so.
 */
final class ReleaseScenario {
  static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
  static final String NAMESPACE = "shop";
  static final String ERROR_RATE = "error-rate";
  static final Duration STEP = Duration.ofSeconds(5);

  /** What a scripted check sees: which check, which canary and stage, when, and its how-many-th evaluation. */
  record CheckContext(String check, String revision, String stage, Instant at, int attempt) {}

  record Evaluation(CheckContext context, CheckOutcome outcome) {}

  @FunctionalInterface
  interface CheckScript {
    CheckOutcome evaluate(CheckContext context);
  }

  /** One revision's Deployment as the simulated cluster holds it. */
  static final class SimulatedDeployment {
    final String revision;
    final String image;
    int replicas;
    int ready;

    SimulatedDeployment(String revision, String image, int replicas) {
      this.revision = revision;
      this.image = image;
      this.replicas = replicas;
    }
  }

  private Release release;
  private ReleasePlanner planner = new ReleasePlanner();
  /** Shared: building one is slow, and it holds no per-scenario state. */
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private Instant now = START;
  private final Map<String, SimulatedDeployment> deployments = new LinkedHashMap<>();
  private final Map<String, Integer> readyCaps = new HashMap<>();
  private final Map<String, Integer> creations = new HashMap<>();
  /** Replicas of each Deployment before the last plan's changes were applied. */
  private final Map<String, Integer> replicasBefore = new HashMap<>();
  private final List<String> deletions = new ArrayList<>();
  private final Map<String, CheckScript> scripts = new HashMap<>();
  private final List<Note> events = new ArrayList<>();
  private final List<Evaluation> evaluations = new ArrayList<>();
  private final List<ReleasePlan> plans = new ArrayList<>();
  private final List<Note> replayNotes = new ArrayList<>();
  private final List<String> replayDueChecks = new ArrayList<>();
  private String annotation;
  /** Check templates, looked up as the reconciler's informers would; none unless a test gives some. */
  private TemplateLookup templates = (kind, namespace, name) -> Optional.empty();
  /** Every check handed to evaluation, as the planner resolved it (template checks with their queries filled). */
  private final List<Check> evaluatedChecks = new ArrayList<>();
  private int failedRemovals;
  private boolean restartEveryTurn;
  private boolean replanEveryTurn;
  /** The simulated gateway: what the HTTPRoute holds, and whether the gateway accepts it. */
  private BackendWeights routeWeights = BackendWeights.ALL_STABLE;
  private boolean routeHeaderRule;
  private RouteAcceptance gatewayVerdict = new RouteAcceptance(RouteAcceptance.State.ACCEPTED, "accepted by 1 gateway(s)");
  private final List<RouteTurn> routeTurns = new ArrayList<>();
  /** The linked DataMigrations the reconciler would observe (spec.gates). */
  private List<LinkView> links = List.of();

  /** One turn as the route saw it: the weights it held when the turn observed it, then what the turn did. */
  record RouteTurn(Instant at, BackendWeights seen, boolean seenHeaderRule, ReleasePlan plan) {}

  private ReleaseScenario(Release release) {
    this.release = release;
  }

  // ----- given

  /** web, 10 replicas, stages 10% (2m), 50% (2m), 100%, one check `error-rate` every 30s, deadline 10m. */
  static ReleaseScenario standard() {
    Release release = new Release();
    release.getMetadata().setName("web");
    release.getMetadata().setNamespace(NAMESPACE);
    release.getMetadata().setGeneration(1L);
    ReleaseSpec spec = new ReleaseSpec();
    spec.setReplicas(10);
    spec.setSelector(new LabelSelectorBuilder().addToMatchLabels("app", "web").build());
    spec.setTemplate(template("registry.example/web:1.0"));
    spec.setProgressDeadline("10m");
    spec.setStages(new ArrayList<>(List.of(
        new Stage("canary-10", 10, "2m", null),
        new Stage("canary-50", 50, "2m", null),
        new Stage("full", 100, null, null))));
    spec.setChecks(new ArrayList<>(List.of(check(ERROR_RATE, 0.05))));
    release.setSpec(spec);
    return new ReleaseScenario(release);
  }

  static Check check(String name, double max) {
    Check check = new Check();
    check.setName(name);
    check.setInterval("30s");
    check.setMax(max);
    check.setPrometheus(new PrometheusQuery("sum(rate(http_errors_total{revision=\"{{revision}}\"}[1m]))"));
    return check;
  }

  static PodTemplateSpec template(String image) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("web").withImage(image).endContainer().endSpec()
        .build();
  }

  static CheckScript passing() {
    return ctx -> CheckOutcome.pass(0.01, "0.01 <= 0.05");
  }

  static CheckScript failing() {
    return ctx -> CheckOutcome.fail(0.4, "0.4 > 0.05");
  }

  static CheckScript noData() {
    return ctx -> CheckOutcome.noData("query returned no series");
  }

  static CheckScript error() {
    return ctx -> CheckOutcome.error("prometheus: connection refused");
  }

  /** Results by attempt (1st, 2nd, ...); the last one repeats. */
  static CheckScript inOrder(CheckResult... results) {
    return ctx -> outcome(results[Math.min(ctx.attempt(), results.length) - 1]);
  }

  static CheckOutcome outcome(CheckResult result) {
    return switch (result) {
      case Pass -> CheckOutcome.pass(0.01, "0.01 <= 0.05");
      case Fail -> CheckOutcome.fail(0.4, "0.4 > 0.05");
      case NoData -> CheckOutcome.noData("query returned no series");
      case Error -> CheckOutcome.error("prometheus: connection refused");
    };
  }

  /** Edits the spec as a user would; the API server bumps the generation. */
  ReleaseScenario edit(Consumer<ReleaseSpec> change) {
    change.accept(release.getSpec());
    release.getMetadata().setGeneration(release.getMetadata().getGeneration() + 1);
    return this;
  }

  /** Template lookups go here from now on (a map a test can change between turns, as a user edits templates). */
  ReleaseScenario templates(TemplateLookup lookup) {
    templates = lookup;
    return this;
  }

  ReleaseScenario script(String check, CheckScript script) {
    scripts.put(check, script);
    return this;
  }

  /** The kubelet starts at most this many pods of the revision. */
  /** What the next turns observe of the linked DataMigrations. */
  ReleaseScenario links(LinkView... views) {
    this.links = List.of(views);
    return this;
  }

  ReleaseScenario holdReady(String revision, int atMost) {
    readyCaps.put(revision, atMost);
    return this;
  }

  ReleaseScenario releaseReady(String revision) {
    readyCaps.remove(revision);
    return this;
  }

  /** From now on every turn ends with an operator restart: the Release goes through JSON and the planner is new. */
  ReleaseScenario restartEveryTurn() {
    restartEveryTurn = true;
    return this;
  }

  /** From now on every turn is planned a second time at the same instant, on the same observation. */
  ReleaseScenario replanEveryTurn() {
    replanEveryTurn = true;
    return this;
  }

  /** Deploys the first revision and lets it become ready; returns its revision. */
  String deployFirstRevision() {
    turn();
    advance(STEP);
    turn();
    if (status().getPhase() != ReleasePhase.Promoted) {
      throw new AssertionError("first revision did not become stable: " + status().getMessage());
    }
    return revision();
  }

  /** Routes the Release through an HTTPRoute shop with Services web-stable and web-canary. */
  ReleaseScenario routed(Duration scaleDownDelay) {
    GatewayApiTraffic g = new GatewayApiTraffic();
    g.setHttpRoute("shop");
    g.setStableService("web-stable");
    g.setCanaryService("web-canary");
    g.setPort(80);
    g.setScaleDownDelay(scaleDownDelay.toSeconds() + "s");
    release.getSpec().setTrafficRouting(new TrafficRouting(g));
    return this;
  }

  /** From now on the gateway reports the route with this verdict. */
  ReleaseScenario gatewayReports(RouteAcceptance verdict) {
    gatewayVerdict = verdict;
    return this;
  }

  // ----- when

  String changeTemplate(String image) {
    edit(spec -> spec.setTemplate(template(image)));
    return revision();
  }

  void annotate(String action) {
    annotation = action;
  }

  /** The next removals of the action annotation fail (API error, or the operator stops right before). */
  void failAnnotationRemovals(int times) {
    failedRemovals = times;
  }

  void advance(Duration duration) {
    now = now.plus(duration);
  }

  /** One reconcile: kubelet, due checks, plan, apply the changes, store the status. */
  ReleasePlan turn() {
    kubelet();
    // As the reconciler does: template checks resolved first, the planner sees the resolved view.
    TemplatedRelease templated = TemplatedRelease.of(release, templates);
    ReleasePlanner.Turn view = planner.turn(templated.release(), now, templated.invalid());
    List<Check> due = view.dueChecks();
    evaluatedChecks.addAll(due);
    Map<String, CheckOutcome> outcomes = new LinkedHashMap<>();
    for (Check check : due) {
      ReleaseStatus before = release.getStatus();
      int attempt = (int) evaluations.stream().filter(e -> e.context().check().equals(check.getName())).count() + 1;
      CheckContext ctx = new CheckContext(check.getName(), before.getCanaryRevision(),
          before.getCurrentStage().getName(), now, attempt);
      CheckOutcome outcome = scripts.getOrDefault(check.getName(), passing()).evaluate(ctx);
      evaluations.add(new Evaluation(ctx, outcome));
      outcomes.put(check.getName(), outcome);
    }
    ReleaseObservation observation = observe(annotation, outcomes).withTemplates(templated.fresh());
    boolean routing = release.getSpec().getTrafficRouting() != null;
    if (routing) {
      observation = observation.withRoute(new TrafficRouter.Observation(BackendWeights.ALL_STABLE,
          Optional.of(routeWeights), routeHeaderRule, gatewayVerdict));
    }
    BackendWeights seen = routeWeights;
    boolean seenHeaderRule = routeHeaderRule;
    ReleasePlan plan = view.plan(observation);
    // As the reconciler does: the route first, then the workload.
    if (plan.route() != null) {
      plan.route().step().ifPresent(step -> {
        routeWeights = step.weights();
        routeHeaderRule = !step.headerMatches().isEmpty();
      });
    }
    if (routing) {
      routeTurns.add(new RouteTurn(now, seen, seenHeaderRule, plan));
    }
    apply(plan.changes());
    if (plan.actionConsumed()) {
      if (failedRemovals > 0) {
        failedRemovals--;
      } else {
        annotation = null;
      }
    }
    events.addAll(plan.notes());
    plans.add(plan);
    release.setStatus(plan.status());
    if (restartEveryTurn) {
      restart();
    }
    if (replanEveryTurn) {
      replay(new ReleaseObservation(observation.generation(), observation.templateRevision(),
          observation.deployments(), null, Map.of()));
    }
    return plan;
  }

  /** advance, then turn. */
  ReleasePlan turnAfter(Duration duration) {
    advance(duration);
    return turn();
  }

  /** Turns every {@link #STEP}, at least once, until the condition holds; fails after {@code limit} of simulated time. */
  int runUntil(Predicate<ReleaseScenario> done, Duration limit) {
    Instant end = now.plus(limit);
    int turns = 0;
    do {
      if (now.isAfter(end)) {
        throw new AssertionError("not reached within " + limit + "; status: " + status().getPhase() + " "
            + status().getMessage());
      }
      turnAfter(STEP);
      turns++;
    } while (!done.test(this));
    return turns;
  }

  /**
   * Like the operator: the next turn comes when the last plan asked for it, or sooner (after {@code watch})
   * when that plan changed a Deployment, as the Deployment's status change would wake the reconciler.
   * Returns the number of turns.
   */
  int runByRequeue(Predicate<ReleaseScenario> done, Duration watch, Duration limit) {
    Instant end = now.plus(limit);
    int turns = 0;
    while (!done.test(this)) {
      if (now.isAfter(end)) {
        throw new AssertionError("not reached within " + limit + " (" + turns + " turns); status: "
            + status().getPhase() + " " + status().getMessage());
      }
      ReleasePlan last = lastPlan();
      boolean changedDeployments = last.changes().stream().anyMatch(c -> c instanceof WorkloadChange.Delete
          || ((WorkloadChange.Scale) c).replicas() != replicasBefore.getOrDefault(c.revision(), -1));
      Duration wait = changedDeployments && watch.compareTo(last.requeueAfter()) < 0 ? watch : last.requeueAfter();
      turnAfter(wait);
      turns++;
    }
    return turns;
  }

  int runUntilPhase(ReleasePhase phase, Duration limit) {
    return runUntil(s -> s.status().getPhase() == phase, limit);
  }

  /** Turns every {@link #STEP} for this long, whatever happens. */
  void runFor(Duration duration) {
    Instant end = now.plus(duration);
    while (now.plus(STEP).compareTo(end) <= 0) {
      turnAfter(STEP);
    }
  }

  // ----- then

  Release release() { return release; }
  ReleaseStatus status() { return release.getStatus(); }
  Instant now() { return now; }
  ReleasePlan lastPlan() { return plans.get(plans.size() - 1); }
  List<ReleasePlan> plans() { return plans; }
  List<Note> events() { return events; }
  List<Evaluation> evaluations() { return evaluations; }
  List<Check> evaluatedChecks() { return evaluatedChecks; }
  List<Note> replayNotes() { return replayNotes; }
  List<String> replayDueChecks() { return replayDueChecks; }
  String pendingAnnotation() { return annotation; }
  BackendWeights routeWeights() { return routeWeights; }
  List<RouteTurn> routeTurns() { return routeTurns; }

  boolean inStage(String name) {
    return status().getCurrentStage() != null && name.equals(status().getCurrentStage().getName());
  }

  String revision() {
    return RevisionHash.of(release);
  }

  List<String> reasons() {
    return events.stream().map(Note::reason).toList();
  }

  /** A bookmark into the Event list, for {@link #reasonsSince(int)}. */
  int mark() {
    return events.size();
  }

  List<String> reasonsSince(int mark) {
    return events.subList(mark, events.size()).stream().map(Note::reason).toList();
  }

  List<Note> eventsSince(int mark) {
    return List.copyOf(events.subList(mark, events.size()));
  }

  Integer replicas(String revision) {
    SimulatedDeployment d = deployments.get(revision);
    return d == null ? null : d.replicas;
  }

  int ready(String revision) {
    SimulatedDeployment d = deployments.get(revision);
    return d == null ? 0 : d.ready;
  }

  boolean exists(String revision) {
    return deployments.containsKey(revision);
  }

  String image(String revision) {
    return deployments.get(revision).image;
  }

  int creations(String revision) {
    return creations.getOrDefault(revision, 0);
  }

  List<String> deletions() {
    return deletions;
  }

  Condition condition(String type) {
    return Conditions.find(status().getConditions(), type);
  }

  CheckStatus checkStatus(String name) {
    return ReleasePlanner.find(status().getChecks(), name);
  }

  long evaluationsOf(String revision) {
    return evaluations.stream().filter(e -> revision.equals(e.context().revision())).count();
  }

  // ----- the simulated cluster

  private void kubelet() {
    for (SimulatedDeployment d : deployments.values()) {
      Integer cap = readyCaps.get(d.revision);
      d.ready = cap == null ? d.replicas : Math.min(d.replicas, cap);
    }
  }

  private ReleaseObservation observe(String action, Map<String, CheckOutcome> outcomes) {
    Map<String, DeploymentState> states = new LinkedHashMap<>();
    deployments.values().forEach(d -> states.put(d.revision,
        new DeploymentState(d.revision, "web-" + d.revision, d.replicas, d.ready)));
    return new ReleaseObservation(release.getMetadata().getGeneration(), revision(), states, action, outcomes)
        .withLinks(links);
  }

  /** Scaling down stops pods at once; scaling up starts them by the next turn. */
  private void apply(List<WorkloadChange> changes) {
    replicasBefore.clear();
    deployments.values().forEach(d -> replicasBefore.put(d.revision, d.replicas));
    for (WorkloadChange change : changes) {
      if (change instanceof WorkloadChange.Scale scale) {
        SimulatedDeployment d = deployments.get(scale.revision());
        if (d == null) {
          String image = release.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
          d = new SimulatedDeployment(scale.revision(), image, scale.replicas());
          deployments.put(scale.revision(), d);
          creations.merge(scale.revision(), 1, Integer::sum);
        }
        d.replicas = scale.replicas();
        d.ready = Math.min(d.ready, d.replicas);
      } else if (change instanceof WorkloadChange.Delete delete) {
        deployments.remove(delete.revision());
        deletions.add(delete.revision());
      }
    }
  }

  /** What an operator restart does to the planner: only the stored Release survives. */
  private void restart() {
    String json = SERIALIZATION.asJson(release);
    release = SERIALIZATION.unmarshal(json, Release.class);
    planner = new ReleasePlanner();
  }

  /** Plans once more at the same instant and on the same observation, as a restarted operator could; nothing new may happen. */
  private void replay(ReleaseObservation sameWorld) {
    // A check evaluated in this very turn must not be due again: that would count one evaluation twice.
    for (Check check : planner.dueChecks(release, now)) {
      CheckStatus cs = ReleasePlanner.find(release.getStatus().getChecks(), check.getName());
      if (cs != null && cs.getLastEvaluationTime() != null) {
        replayDueChecks.add(check.getName() + " evaluated at " + cs.getLastEvaluationTime() + ", due again at " + now);
      }
    }
    ReleasePlan again = planner.plan(release, sameWorld, now);
    replayNotes.addAll(again.notes());
    release.setStatus(again.status());
  }
}
