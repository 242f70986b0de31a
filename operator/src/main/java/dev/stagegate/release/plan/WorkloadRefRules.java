package dev.stagegate.release.plan;

import dev.stagegate.api.release.ReleaseSpec;
import dev.stagegate.api.release.WorkloadRef;
import java.util.ArrayList;
import java.util.List;

/** The operator's own check of spec.workloadRef (the CRD schema says the same at admission). */
public final class WorkloadRefRules {
  private WorkloadRefRules() {
  }

  /**
   * Exactly one of spec.template and spec.workloadRef, judged on the spec as written: the planner sees the Release
   * with the referenced Deployment's template filled in, so it cannot tell the two apart.
   */
  public static List<String> asWritten(ReleaseSpec spec) {
    List<String> errors = new ArrayList<>();
    if (spec != null && spec.getTemplate() != null && spec.getWorkloadRef() != null) {
      errors.add("spec.workloadRef: exactly one of spec.template and spec.workloadRef may be set, not both");
    }
    return errors;
  }

  static void check(WorkloadRef ref, List<String> errors) {
    if (ref == null) {
      return;
    }
    if (!WorkloadRef.APPS_V1.equals(ref.getApiVersion())) {
      errors.add("spec.workloadRef.apiVersion: must be apps/v1, got " + ref.getApiVersion());
    }
    if (!WorkloadRef.DEPLOYMENT.equals(ref.getKind())) {
      errors.add("spec.workloadRef.kind: must be Deployment, got " + ref.getKind());
    }
    if (ref.getName() == null || ref.getName().isBlank()) {
      errors.add("spec.workloadRef.name: is required");
    }
  }
}
