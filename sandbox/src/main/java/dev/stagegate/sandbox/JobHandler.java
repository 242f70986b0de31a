package dev.stagegate.sandbox;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Map;

/** What a Job's pod would do, run by the {@link FakeJobRunner} in place of a container. */
@FunctionalInterface
public interface JobHandler {

  /**
   * @param env the first container's environment as the kubelet would give it: literal values, and values from
   *     Secrets and ConfigMaps resolved
   * @return the outcome; a thrown exception counts as a failed pod
   */
  JobOutcome run(Job job, Map<String, String> env) throws Exception;
}
