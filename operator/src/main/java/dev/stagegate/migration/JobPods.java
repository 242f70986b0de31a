package dev.stagegate.migration;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;

/**
 * The pods a Job started, found by the `batch.kubernetes.io/job-name` label the Job controller puts on them
 * (and the older `job-name`). Matching by name, not uid, can only make us wait longer for a same-named Job's
 * pods, never start early; the names carry the migration, stage, kind and run.
 */
final class JobPods {
  static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
  static final String LEGACY_JOB_NAME_LABEL = "job-name";

  private final KubernetesClient client;

  JobPods(KubernetesClient client) {
    this.client = client;
  }

  /** How many of the Job's pods have not stopped (neither Succeeded nor Failed), if any. */
  Optional<Integer> stillRunning(String namespace, String job) {
    long running = count(namespace, JOB_NAME_LABEL, job) + count(namespace, LEGACY_JOB_NAME_LABEL, job);
    return running == 0 ? Optional.empty() : Optional.of((int) running);
  }

  private long count(String namespace, String label, String job) {
    return client.pods().inNamespace(namespace).withLabel(label, job).list().getItems().stream()
        .filter(p -> !(label.equals(LEGACY_JOB_NAME_LABEL) && p.getMetadata().getLabels().containsKey(JOB_NAME_LABEL)))
        .filter(JobPods::active)
        .count();
  }

  /** A pod counts until it has stopped: Pending, Running, Unknown, or terminating within its grace period. */
  static boolean active(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }
}
