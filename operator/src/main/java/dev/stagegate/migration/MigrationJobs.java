package dev.stagegate.migration;

import dev.stagegate.migration.plan.JobChange;
import dev.stagegate.migration.plan.JobKind;
import dev.stagegate.migration.plan.ObservedJob;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.JobState;
import dev.stagegate.api.migration.JobTemplate;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.common.Copies;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.JobRun;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.stagegate.migration.plan.KeySpan;

/**
 * The migration's Jobs: built from the user's pod template with the stage's variables, labelled and owned
 * by the DataMigration, created only under the names the status already holds.
 */
public final class MigrationJobs {
  public static final String MIGRATION_LABEL = "stagegate.dev/migration";
  public static final String STAGE_LABEL = "stagegate.dev/stage";
  public static final String ENV_MIGRATION = "STAGEGATE_MIGRATION";
  public static final String ENV_STAGE = "STAGEGATE_STAGE";
  public static final String ENV_KEY_FROM = "STAGEGATE_KEY_FROM";
  public static final String ENV_KEY_TO = "STAGEGATE_KEY_TO";
  public static final String ENV_RUN_ID = "STAGEGATE_RUN_ID";

  private final KubernetesClient client;
  /** Jobs the API server refused to create for good, by namespace/name: observed as Failed with the reason. */
  private final Map<String, String> refused = new ConcurrentHashMap<>();

  private final JobPods pods;

  public MigrationJobs(KubernetesClient client) {
    this.client = client;
    this.pods = new JobPods(client);
  }

  /**
   * The Jobs the planner needs to see: every cached Job, plus any Job the status still holds as running that the
   * cache does not show yet (read directly, and only if this DataMigration owns it), or that was refused.
   */
  public Map<String, ObservedJob> observe(DataMigration migration, Collection<Job> cached) {
    Map<String, ObservedJob> observed = new HashMap<>();
    for (Job job : cached) {
      // The informer maps Jobs to a DataMigration by owner name: a Job left by a deleted DataMigration of the same
      // name (orphaned, or not yet collected) would pass for this one's. Only the controller uid says whose it is.
      if (ownedBy(job, migration)) {
        observed.put(job.getMetadata().getName(), observe(job));
      }
    }
    DataMigrationStatus status = migration.getStatus();
    if (status == null) {
      return observed;
    }
    List<JobRun> running = new ArrayList<>();
    if (status.getBackup() != null) {
      running.add(status.getBackup());
    }
    for (StageProgress stage : status.getStages()) {
      if (stage.getJob() != null) {
        running.add(stage.getJob());
      }
      if (stage.getUndo() != null) {
        running.add(stage.getUndo());
      }
    }
    String ns = migration.getMetadata().getNamespace();
    for (JobRun run : running) {
      if (run.getState() != JobState.Running) {
        continue;
      }
      String refusal = refused.get(key(migration, run.getName()));
      if (refusal != null && !observed.containsKey(run.getName())) {
        observed.put(run.getName(), new ObservedJob(run.getName(), null, JobState.Failed, refusal));
        continue;
      }
      if (!observed.containsKey(run.getName())) {
        get(ns, run.getName()).filter(j -> ownedBy(j, migration)).ifPresent(j -> observed.put(run.getName(), observe(j)));
      }
      // A Job the status holds as running that is gone, being deleted or failed may still have pods writing
      // (deletion propagates to pods in the background; a failed Job's pods take their grace period to stop).
      // Until none runs, it is observed as running, so nothing (an undo above all) starts while they write.
      ObservedJob seen = observed.get(run.getName());
      if (seen == null || seen.state() == JobState.Failed || beingDeleted(cached, run.getName())) {
        pods.stillRunning(ns, run.getName()).ifPresent(n -> observed.put(run.getName(),
            new ObservedJob(run.getName(), seen != null ? seen.uid() : run.getUid(), JobState.Running,
                n + " pod(s) of the Job still running")));
      }
    }
    return observed;
  }

  private static boolean beingDeleted(Collection<Job> cached, String name) {
    return cached.stream().anyMatch(j -> name.equals(j.getMetadata().getName())
        && j.getMetadata().getDeletionTimestamp() != null);
  }

  /** Remembers a permanent refusal of a Job's creation so the next turn fails that step instead of waiting. */
  public void refused(DataMigration migration, String name, String message) {
    refused.put(key(migration, name), message);
  }

  private static boolean ownedBy(Job job, DataMigration migration) {
    return job.getMetadata().getOwnerReferences() != null && job.getMetadata().getOwnerReferences().stream()
        .anyMatch(o -> Boolean.TRUE.equals(o.getController()) && Objects.equals(o.getUid(), migration.getMetadata().getUid()));
  }

  private static String key(DataMigration migration, String job) {
    return migration.getMetadata().getNamespace() + "/" + migration.getMetadata().getName() + "/" + job;
  }

  /** The DataMigration is deleted: a re-created one of the same name must not inherit its refusals. */
  public void forget(io.javaoperatorsdk.operator.processing.event.ResourceID id) {
    String prefix = id.getNamespace().orElse("") + "/" + id.getName() + "/";
    refused.keySet().removeIf(k -> k.startsWith(prefix));
  }

  /** Complete=True is success, Failed=True (past the backoff limit) failure, anything else still running. */
  public static ObservedJob observe(Job job) {
    String state = null;
    String message = null;
    if (job.getStatus() != null && job.getStatus().getConditions() != null) {
      for (JobCondition c : job.getStatus().getConditions()) {
        if ("True".equals(c.getStatus()) && ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))) {
          state = c.getType();
          message = c.getMessage() == null || c.getMessage().isBlank() ? c.getReason() : c.getMessage();
        }
      }
    }
    JobState js = "Complete".equals(state) ? JobState.Succeeded : "Failed".equals(state) ? JobState.Failed : JobState.Running;
    return new ObservedJob(job.getMetadata().getName(), job.getMetadata().getUid(), js, shorten(message));
  }

  public Optional<Job> get(String namespace, String name) {
    return Optional.ofNullable(client.batch().v1().jobs().inNamespace(namespace).withName(name).get());
  }

  /** Creates the Job; one that already exists under the name (created before a restart) is left alone. */
  public void create(DataMigration migration, JobChange.Create change) {
    Job job = build(migration, change);
    try {
      client.batch().v1().jobs().inNamespace(migration.getMetadata().getNamespace()).resource(job).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      // Ours from before a restart is fine; another owner's under the same name is never adopted.
      Optional<Job> existing = get(migration.getMetadata().getNamespace(), change.name());
      if (existing.isPresent() && !ownedBy(existing.get(), migration)) {
        refused(migration, change.name(), "a Job named " + change.name() + " already exists and belongs to another owner"
            + " (e.g. a deleted DataMigration of the same name); it is not adopted: delete it to go on");
        return;
      }
    }
    refused.remove(key(migration, change.name()));
  }

  public void delete(DataMigration migration, String name) {
    client.batch().v1().jobs().inNamespace(migration.getMetadata().getNamespace()).withName(name)
        .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
  }

  static Job build(DataMigration migration, JobChange.Create change) {
    var spec = migration.getSpec();
    var status = migration.getStatus();
    String name = migration.getMetadata().getName();
    JobTemplate template;
    String stage;
    KeySpan keys;
    List<String> parts = List.of();
    if (change.kind() == JobKind.BACKUP) {
      template = spec.getBackup();
      stage = null;
      keys = KeySpan.all(status.getStages());
    } else {
      template = change.kind() == JobKind.LOAD ? spec.getWorker() : spec.getUndo();
      StageProgress progress = status.getStages().get(change.stage());
      stage = progress.getName();
      keys = KeySpan.of(progress);
      if (change.kind() == JobKind.LOAD && progress.getParts() != null) {
        parts = progress.getParts();
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put(ENV_MIGRATION, name);
    if (stage != null) {
      env.put(ENV_STAGE, stage);
    }
    env.putAll(StageKeyEnv.of(spec.getPartition(), keys));
    if (!parts.isEmpty()) {
      env.putAll(StageKeyEnv.parts(spec.getPartition(), keys, parts));
    }
    env.put(ENV_RUN_ID, status.getRunId() == null ? "" : status.getRunId());

    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(MIGRATION_LABEL, name);
    labels.put(JobKind.LABEL, change.kind().label());
    if (stage != null) {
      labels.put(STAGE_LABEL, stage);
    }
    // A deep copy: the Job must never share objects with the spec it was built from.
    PodTemplateSpec pod = new PodTemplateSpecBuilder(Copies.deep(template.getTemplate(), PodTemplateSpec.class))
        .editOrNewMetadata().addToLabels(labels).endMetadata()
        .build();
    if (pod.getSpec().getRestartPolicy() == null) {
      pod.getSpec().setRestartPolicy("Never");
    }
    pod.getSpec().setContainers(withEnv(pod.getSpec().getContainers(), env));
    if (pod.getSpec().getInitContainers() != null) {
      pod.getSpec().setInitContainers(withEnv(pod.getSpec().getInitContainers(), env));
    }
    return new JobBuilder()
        .withNewMetadata()
          .withName(change.name())
          .withNamespace(migration.getMetadata().getNamespace())
          .withLabels(labels)
          .withOwnerReferences(new OwnerReferenceBuilder()
              .withApiVersion(migration.getApiVersion())
              .withKind(migration.getKind())
              .withName(name)
              .withUid(migration.getMetadata().getUid())
              .withController(true)
              .withBlockOwnerDeletion(true)
              .build())
        .endMetadata()
        .withNewSpec()
          .withCompletionMode(parts.isEmpty() ? null : "Indexed")
          .withCompletions(parts.isEmpty() ? null : parts.size() + 1)
          .withParallelism(parts.isEmpty() ? null : parts.size() + 1)
          .withBackoffLimit(template.backoffLimitOrDefault())
          .withActiveDeadlineSeconds(template.getActiveDeadlineSeconds())
          .withTemplate(pod)
        .endSpec()
        .build();
  }

  /** Our variables replace any of the same name in the template, so a stage always sees its own range. */
  private static List<Container> withEnv(List<Container> containers, Map<String, String> env) {
    List<Container> out = new ArrayList<>();
    for (Container c : containers) {
      List<EnvVar> vars = new ArrayList<>();
      if (c.getEnv() != null) {
        c.getEnv().stream().filter(v -> !env.containsKey(v.getName())).forEach(vars::add);
      }
      env.forEach((k, v) -> vars.add(new EnvVar(k, v, null)));
      c.setEnv(vars);
      out.add(c);
    }
    return out;
  }

  private static String shorten(String message) {
    if (message == null) {
      return null;
    }
    return message.length() <= 500 ? message : message.substring(0, 500) + "...";
  }
}
