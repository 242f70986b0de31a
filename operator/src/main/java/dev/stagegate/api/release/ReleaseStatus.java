package dev.stagegate.api.release;

import dev.stagegate.api.templates.RecordedCheck;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import io.fabric8.kubernetes.api.model.Condition;
import dev.stagegate.api.common.StatusBase;
import dev.stagegate.api.common.LinkStatus;
import java.util.ArrayList;
import java.util.List;

/** Everything the operator needs to continue a rollout after a restart lives here. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReleaseStatus extends StatusBase {
  private ReleasePhase phase;
  private String stableRevision;
  private String canaryRevision;
  private String failedRevision;
  private StageStatus currentStage;
  private Integer requestedWeight;
  private Integer actualWeight;
  private List<CheckStatus> checks = new ArrayList<>();
  private TrafficRoutingStatus trafficRouting;
  @StatusReplicas
  @JsonPropertyDescription("Ready pods of all the Release's revisions: the /scale subresource's status.replicas.")
  private Integer replicas;
  @LabelSelector
  @JsonPropertyDescription("Label selector (as a string) of the pods of all the Release's revisions, for the /scale"
      + " subresource: a HorizontalPodAutoscaler averages its metrics over these pods.")
  private String selector;
  /** When the last canary was rolled back (RFC 3339): a linked DataMigration aborts only for a rollback after it linked. */
  private String rolledBackAt;
  /** The DataMigrations linked to the current (or last) canary: opened gates, acted-on failures. */
  private List<LinkStatus> links = new ArrayList<>();
  /** Template checks as resolved for the running canary: a template edited meanwhile applies to the next one. */
  private List<RecordedCheck> templateChecks;
  @JsonPropertyDescription("The Deployment adopted through spec.workloadRef: its original replicas and how far it is scaled down.")
  private WorkloadRefStatus workloadRef;

  public ReleasePhase getPhase() { return phase; }
  public void setPhase(ReleasePhase phase) { this.phase = phase; }
  public String getStableRevision() { return stableRevision; }
  public void setStableRevision(String stableRevision) { this.stableRevision = stableRevision; }
  public String getCanaryRevision() { return canaryRevision; }
  public void setCanaryRevision(String canaryRevision) { this.canaryRevision = canaryRevision; }
  public String getFailedRevision() { return failedRevision; }
  public void setFailedRevision(String failedRevision) { this.failedRevision = failedRevision; }
  public StageStatus getCurrentStage() { return currentStage; }
  public void setCurrentStage(StageStatus currentStage) { this.currentStage = currentStage; }
  public Integer getRequestedWeight() { return requestedWeight; }
  public void setRequestedWeight(Integer requestedWeight) { this.requestedWeight = requestedWeight; }
  public Integer getActualWeight() { return actualWeight; }
  public void setActualWeight(Integer actualWeight) { this.actualWeight = actualWeight; }
  public TrafficRoutingStatus getTrafficRouting() { return trafficRouting; }
  public void setTrafficRouting(TrafficRoutingStatus trafficRouting) { this.trafficRouting = trafficRouting; }
  public Integer getReplicas() { return replicas; }
  public void setReplicas(Integer replicas) { this.replicas = replicas; }
  public String getSelector() { return selector; }
  public void setSelector(String selector) { this.selector = selector; }
  public List<RecordedCheck> getTemplateChecks() { return templateChecks; }
  public void setTemplateChecks(List<RecordedCheck> templateChecks) { this.templateChecks = templateChecks; }
  public WorkloadRefStatus getWorkloadRef() { return workloadRef; }
  public void setWorkloadRef(WorkloadRefStatus workloadRef) { this.workloadRef = workloadRef; }
  public List<CheckStatus> getChecks() { return checks; }
  public void setChecks(List<CheckStatus> checks) { this.checks = checks; }
  public String getRolledBackAt() { return rolledBackAt; }
  public void setRolledBackAt(String rolledBackAt) { this.rolledBackAt = rolledBackAt; }
  public List<LinkStatus> getLinks() { return links; }
  public void setLinks(List<LinkStatus> links) { this.links = links; }
}
