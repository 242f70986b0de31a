package dev.stagegate.api.release;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.stagegate.api.common.NotifyTarget;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.stagegate.api.common.DurationLimits;
import dev.stagegate.api.common.Durations;
import dev.stagegate.api.common.FailurePolicy;
import dev.stagegate.api.common.PrometheusSource;
import dev.stagegate.api.common.TemplateSchema;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.ArrayList;
import java.util.List;

/**
 * What to roll out and how. The selector/template label match is checked by the operator, not by CEL:
 * over two unbounded label maps that rule exceeds the API server's CEL cost budget.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Weight 0 is a header-only stage, which only a route can carry (pods cannot pick requests by header).
@ValidationRule(value = "!has(self.stages) || self.stages.all(s, s.weight >= 1 || (has(self.trafficRouting)"
    + " && has(s.match) && ((has(s.match.headers) && size(s.match.headers) > 0)"
    + " || (has(s.match.cookies) && size(s.match.cookies) > 0))))",
    message = "a stage may have weight 0 only with spec.trafficRouting and match.headers or match.cookies"
        + " (a header-only stage)",
    fieldPath = ".stages")
@ValidationRule(value = "has(self.template) != has(self.workloadRef)",
    message = "exactly one of spec.template and spec.workloadRef must be set")
public class ReleaseSpec {

  // The /scale subresource's spec.replicas: an HPA or `kubectl scale` sets this field, and every turn sizes both revisions from it.
  @SpecReplicas
  @Required
  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Pods of the stable revision at full size; a canary adds pods alongside it, up to maxSurge extra."
      + " The Release's /scale subresource sets it, so a HorizontalPodAutoscaler may target the Release.")
  private Integer replicas;

  @JsonPropertyDescription("Most extra pods a canary stage may add beyond replicas: a number, or a percentage of replicas"
      + " rounded up (default 100%). A weight that needs more (90% beside 10 stable pods is 90 canary pods) shrinks the"
      + " stable revision instead, as canary pods become ready, keeping replicas + maxSurge pods in all.")
  @ValidationRule(value = "type(self) == int ? self >= 1 : self.matches('^[1-9][0-9]{0,3}%$')",
      message = "maxSurge must be a number of pods of at least 1 or a percentage like 50%")
  private IntOrString maxSurge;

  @Required
  @JsonPropertyDescription("Selects the pods of every revision, like a Deployment's selector. Must match the template labels.")
  private LabelSelector selector;

  @SchemaFrom(type = TemplateSchema.class)
  @JsonPropertyDescription("The pod template of the revision to roll out, as in a Deployment. A change starts a canary."
      + " Exactly one of template and workloadRef.")
  private PodTemplateSpec template;

  @JsonPropertyDescription("Adopt an existing Deployment: the Release rolls out its pod template (a change to it starts a"
      + " canary) and scales it down as the Release's own stable pods become ready; removing this or deleting the"
      + " Release scales it back. Exactly one of template and workloadRef.")
  private WorkloadRef workloadRef;

  @Default("false")
  @JsonPropertyDescription("Holds the rollout where it is (GitOps-friendly pause, e.g. a change freeze): a running canary keeps its stage and its checks keep running; a new template gets no pods until this is cleared.")
  private Boolean paused;

  @Default("10m")
  @Pattern(Durations.PATTERN)
  @Size(max = DurationLimits.MAX_LENGTH)
  @ValidationRule(value = DurationLimits.PROGRESS_DEADLINE_RULE, message = DurationLimits.PROGRESS_DEADLINE_MESSAGE)
  @JsonPropertyDescription("How long a stage may wait for ready canary pods or for conclusive check results, e.g. 10m.")
  private String progressDeadline;

  @JsonPropertyDescription("Where checks query Prometheus; the operator's default address otherwise.")
  private PrometheusSource prometheus;

  @Required
  @Size(min = 1, max = 20)
  @ValidationRule(value = "self.map(s, s.weight).isSorted() && self.all(s, self.exists_one(t, t.weight == s.weight))",
      message = "stage weights must strictly increase")
  @ValidationRule(value = "self[size(self) - 1].weight == 100", message = "the last stage must have weight 100")
  @ValidationRule(value = "self.all(s, self.exists_one(t, t.name == s.name))", message = "stage names must be unique")
  @JsonPropertyDescription("The stages, in order. Weights strictly increase and the last is 100.")
  private List<Stage> stages = new ArrayList<>();

  @Size(max = 20)
  @ValidationRule(value = "self.all(c, !has(c.name) || self.exists_one(d, has(d.name) && d.name == c.name))",
      message = "check names must be unique")
  @ValidationRule(value = "self.all(c, has(c.name) || has(c.templateRef))",
      message = "a check needs a name, or a templateRef whose name it takes")
  @JsonPropertyDescription("Health checks evaluated during every stage: written here, or taken from a CheckTemplate or"
      + " ClusterCheckTemplate with templateRef and args.")
  private List<Check> checks = new ArrayList<>();

  @JsonPropertyDescription("Error control across the Release's checks as a whole.")
  private ReleaseAnalysis analysis;

  @Default("Rollback")
  @JsonPropertyDescription("What a failed stage does: Rollback (canary to zero, stable at full size) or Pause.")
  private FailurePolicy onFailure;

  @JsonPropertyDescription("Split traffic by route weights instead of by the share of ready pods.")
  private TrafficRouting trafficRouting;

  @Size(max = 10)
  @ValidationRule(value = "self.all(n, self.exists_one(m, m.name == n.name))", message = "notify target names must be unique")
  @JsonPropertyDescription("Where to send this resource's transitions (webhook, Slack, Alertmanager), besides the operator's defaults.")
  private List<NotifyTarget> notify = new ArrayList<>();
  @Size(max = 20)
  @JsonPropertyDescription("Stages that wait for a DataMigration in this namespace (which may not exist yet), and what"
      + " a failure on either side does to the other.")
  private List<ReleaseGate> gates = new ArrayList<>();

  public Integer getReplicas() { return replicas; }
  public void setReplicas(Integer replicas) { this.replicas = replicas; }
  public IntOrString getMaxSurge() { return maxSurge; }
  public void setMaxSurge(IntOrString maxSurge) { this.maxSurge = maxSurge; }
  public LabelSelector getSelector() { return selector; }
  public void setSelector(LabelSelector selector) { this.selector = selector; }
  public PodTemplateSpec getTemplate() { return template; }
  public void setTemplate(PodTemplateSpec template) { this.template = template; }
  public WorkloadRef getWorkloadRef() { return workloadRef; }
  public void setWorkloadRef(WorkloadRef workloadRef) { this.workloadRef = workloadRef; }
  public Boolean getPaused() { return paused; }
  public void setPaused(Boolean paused) { this.paused = paused; }
  public String getProgressDeadline() { return progressDeadline; }
  public void setProgressDeadline(String progressDeadline) { this.progressDeadline = progressDeadline; }
  public PrometheusSource getPrometheus() { return prometheus; }
  public void setPrometheus(PrometheusSource prometheus) { this.prometheus = prometheus; }
  public List<Stage> getStages() { return stages; }
  public void setStages(List<Stage> stages) { this.stages = stages; }
  public List<Check> getChecks() { return checks; }
  public void setChecks(List<Check> checks) { this.checks = checks; }
  public ReleaseAnalysis getAnalysis() { return analysis; }
  public void setAnalysis(ReleaseAnalysis analysis) { this.analysis = analysis; }
  public FailurePolicy getOnFailure() { return onFailure; }
  public void setOnFailure(FailurePolicy onFailure) { this.onFailure = onFailure; }

  public TrafficRouting getTrafficRouting() { return trafficRouting; }
  public void setTrafficRouting(TrafficRouting trafficRouting) { this.trafficRouting = trafficRouting; }

  public List<ReleaseGate> getGates() { return gates; }
  public void setGates(List<ReleaseGate> gates) { this.gates = gates; }
  public List<ReleaseGate> gatesOrEmpty() { return gates == null ? List.of() : gates; }

  public boolean isPaused() { return Boolean.TRUE.equals(paused); }
  public FailurePolicy failurePolicy() { return onFailure == null ? FailurePolicy.Rollback : onFailure; }
  public List<NotifyTarget> getNotify() { return notify; }
  public void setNotify(List<NotifyTarget> notify) { this.notify = notify; }
}
