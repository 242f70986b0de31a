package dev.stagegate.api.migration;

import dev.stagegate.api.common.FailurePolicy;
import dev.stagegate.api.common.PrometheusSource;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.stagegate.api.common.NotifyTarget;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.undo) || (has(self.onFailure) && self.onFailure == 'Pause')",
    message = "spec.undo is required with onFailure: Rollback", fieldPath = ".undo")
public class DataMigrationSpec {
  @Required
  @JsonPropertyDescription("The database the records come from.")
  private DatabaseRef source;

  @Required
  @JsonPropertyDescription("The database the records go to.")
  private DatabaseRef target;

  @Required
  @JsonPropertyDescription("Source table and integer key that split the records into stages by row quantiles.")
  private Partition partition;

  @Required
  @JsonPropertyDescription("The loader, run as a Job once per stage over the stage's key range.")
  private JobTemplate worker;

  @JsonPropertyDescription("Removes what one stage loaded (same variables); run in reverse stage order on rollback."
      + " Required with onFailure: Rollback.")
  private JobTemplate undo;

  @JsonPropertyDescription("Optional Job run once before the first write, e.g. pg_dump or a volume snapshot.")
  private JobTemplate backup;

  @Size(max = 20)
  @ValidationRule(value = "self.all(g, self.exists_one(h, h.name == g.name))", message = "guard names must be unique")
  @JsonPropertyDescription("Preconditions that must all pass before anything is written.")
  private List<Guard> guards = new ArrayList<>();

  @Required
  @Size(min = 1, max = 20)
  @ValidationRule(value = "self.map(s, s.percent).isSorted() && self.all(s, self.exists_one(t, t.percent == s.percent))",
      message = "stage percents must strictly increase")
  @ValidationRule(value = "self[size(self) - 1].percent == 100", message = "the last stage must have percent 100")
  @ValidationRule(value = "self.all(s, self.exists_one(t, t.name == s.name))", message = "stage names must be unique")
  @JsonPropertyDescription("The stages, in order. Percents (of source rows, cumulative) strictly increase; the last is 100.")
  private List<MigrationStage> stages = new ArrayList<>();

  @Size(max = 20)
  @ValidationRule(value = "self.all(c, !has(c.name) || self.exists_one(d, has(d.name) && d.name == c.name))",
      message = "verify check names must be unique")
  @JsonPropertyDescription("Checks run after every stage over every key migrated so far: written here, or taken from a"
      + " CheckTemplate or ClusterCheckTemplate with templateRef and args.")
  private List<VerifyCheck> verify = new ArrayList<>();

  @JsonPropertyDescription("Where prometheus checks query; the operator's default address otherwise.")
  private PrometheusSource prometheus;

  @Default("Rollback")
  @JsonPropertyDescription("What a failure does: Rollback (undo every loaded stage, newest first, then verify the"
      + " target is as before) or Pause (wait for `stagegate.dev/action`: resume, retry-stage or abort).")
  private FailurePolicy onFailure;

  @Size(max = 10)
  @ValidationRule(value = "self.all(n, self.exists_one(m, m.name == n.name))", message = "notify target names must be unique")
  @JsonPropertyDescription("Where to send this resource's transitions (webhook, Slack, Alertmanager), besides the operator's defaults.")
  private List<NotifyTarget> notify = new ArrayList<>();
  @Size(max = 20)
  @JsonPropertyDescription("Stages whose load waits for a Release in this namespace (which may not exist yet), and what"
      + " a failure on either side does to the other.")
  private List<MigrationGate> gates = new ArrayList<>();

  public DatabaseRef getSource() { return source; }
  public void setSource(DatabaseRef source) { this.source = source; }
  public DatabaseRef getTarget() { return target; }
  public void setTarget(DatabaseRef target) { this.target = target; }
  public Partition getPartition() { return partition; }
  public void setPartition(Partition partition) { this.partition = partition; }
  public JobTemplate getWorker() { return worker; }
  public void setWorker(JobTemplate worker) { this.worker = worker; }
  public JobTemplate getUndo() { return undo; }
  public void setUndo(JobTemplate undo) { this.undo = undo; }
  public JobTemplate getBackup() { return backup; }
  public void setBackup(JobTemplate backup) { this.backup = backup; }
  public List<Guard> getGuards() { return guards; }
  public void setGuards(List<Guard> guards) { this.guards = guards; }
  public List<MigrationStage> getStages() { return stages; }
  public void setStages(List<MigrationStage> stages) { this.stages = stages; }
  public List<VerifyCheck> getVerify() { return verify; }
  public void setVerify(List<VerifyCheck> verify) { this.verify = verify; }
  public PrometheusSource getPrometheus() { return prometheus; }
  public void setPrometheus(PrometheusSource prometheus) { this.prometheus = prometheus; }
  public FailurePolicy getOnFailure() { return onFailure; }
  public void setOnFailure(FailurePolicy onFailure) { this.onFailure = onFailure; }

  public List<MigrationGate> getGates() { return gates; }
  public void setGates(List<MigrationGate> gates) { this.gates = gates; }
  public List<MigrationGate> gatesOrEmpty() { return gates == null ? List.of() : gates; }

  public FailurePolicy failurePolicy() { return onFailure == null ? FailurePolicy.Rollback : onFailure; }
  public List<Guard> guardsOrEmpty() { return guards == null ? List.of() : guards; }
  public List<VerifyCheck> verifyOrEmpty() { return verify == null ? List.of() : verify; }
  public List<NotifyTarget> getNotify() { return notify; }
  public void setNotify(List<NotifyTarget> notify) { this.notify = notify; }
}
