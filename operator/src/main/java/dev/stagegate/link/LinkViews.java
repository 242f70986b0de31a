package dev.stagegate.link;

import dev.stagegate.api.common.LinkPolicy;
import dev.stagegate.api.common.StatusBase;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.MigrationGate;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.api.migration.StageState;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleaseGate;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.common.Conditions;
import dev.stagegate.common.Timestamps;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds the resources linked to a Release or a DataMigration (its own gates, and the other kind's gates that
 * name it) among those of its namespace, and describes each as a {@link LinkView}. Pure: the reconcilers hand
 * in what their informers hold.
 */
public final class LinkViews {
  public static final String RELEASE = "Release/";
  public static final String MIGRATION = "DataMigration/";

  private LinkViews() {
  }

  public static List<LinkView> forRelease(Release release, Collection<DataMigration> sameNamespace) {
    String name = release.getMetadata().getName();
    Map<String, List<LinkPolicy>> policies = new LinkedHashMap<>();
    if (release.getSpec() != null) {
      for (ReleaseGate gate : release.getSpec().gatesOrEmpty()) {
        if (blank(gate.getDataMigration())) {
          continue; // the validator reports it; nothing to observe
        }
        policies.computeIfAbsent(gate.getDataMigration(), k -> new ArrayList<>()).add(gate.policy());
      }
    }
    for (DataMigration m : sameNamespace) {
      if (m.getSpec() != null) {
        for (MigrationGate gate : m.getSpec().gatesOrEmpty()) {
          if (name.equals(gate.getRelease())) {
            policies.computeIfAbsent(m.getMetadata().getName(), k -> new ArrayList<>()).add(gate.policy());
          }
        }
      }
    }
    List<LinkView> views = new ArrayList<>();
    policies.forEach((other, list) -> {
      LinkPolicy policy = pairPolicy(list);
      DataMigration found = sameNamespace.stream().filter(m -> other.equals(m.getMetadata().getName())).findFirst().orElse(null);
      views.add(found == null ? LinkView.missing(MIGRATION + other, policy) : ofMigration(found, policy));
    });
    return views;
  }

  public static List<LinkView> forMigration(DataMigration migration, Collection<Release> sameNamespace) {
    String name = migration.getMetadata().getName();
    Map<String, List<LinkPolicy>> policies = new LinkedHashMap<>();
    if (migration.getSpec() != null) {
      for (MigrationGate gate : migration.getSpec().gatesOrEmpty()) {
        if (blank(gate.getRelease())) {
          continue; // the validator reports it; nothing to observe
        }
        policies.computeIfAbsent(gate.getRelease(), k -> new ArrayList<>()).add(gate.policy());
      }
    }
    for (Release r : sameNamespace) {
      if (r.getSpec() != null) {
        for (ReleaseGate gate : r.getSpec().gatesOrEmpty()) {
          if (name.equals(gate.getDataMigration())) {
            policies.computeIfAbsent(r.getMetadata().getName(), k -> new ArrayList<>()).add(gate.policy());
          }
        }
      }
    }
    List<LinkView> views = new ArrayList<>();
    policies.forEach((other, list) -> {
      LinkPolicy policy = pairPolicy(list);
      Release found = sameNamespace.stream().filter(r -> other.equals(r.getMetadata().getName())).findFirst().orElse(null);
      views.add(found == null ? LinkView.missing(RELEASE + other, policy) : ofRelease(found, policy));
    });
    return views;
  }

  /** RollBackBoth unless every gate between the pair, on either side, says Independent. */
  static LinkPolicy pairPolicy(List<LinkPolicy> gates) {
    return gates.stream().allMatch(p -> p == LinkPolicy.Independent) ? LinkPolicy.Independent : LinkPolicy.RollBackBoth;
  }

  public static LinkView ofMigration(DataMigration m, LinkPolicy policy) {
    DataMigrationStatus s = m.getStatus();
    String resource = MIGRATION + m.getMetadata().getName();
    if (s == null) {
      return new LinkView(resource, true, false, null, 0, false, null, null, policy);
    }
    int done = 0;
    for (StageProgress stage : s.getStages()) {
      if (stage.getState() != StageState.Verified) {
        break;
      }
      done++;
    }
    MigrationPhase phase = s.getPhase();
    Instant failedAt = null;
    String failure = null;
    if (phase == MigrationPhase.RollingBack || phase == MigrationPhase.RolledBack || phase == MigrationPhase.Failed) {
      failedAt = s.getRollback() != null ? Timestamps.parse(s.getRollback().getStartedAt()) : stalledSince(s);
      failure = phase + " (" + s.getFailureReason() + ")" + (s.getMessage() == null ? "" : ": " + s.getMessage());
    }
    return new LinkView(resource, true, current(m, s), phase == null ? null : phase.name(), done,
        phase == MigrationPhase.Succeeded, failedAt, failure, policy);
  }

  public static LinkView ofRelease(Release r, LinkPolicy policy) {
    ReleaseStatus s = r.getStatus();
    String resource = RELEASE + r.getMetadata().getName();
    if (s == null) {
      return new LinkView(resource, true, false, null, 0, false, null, null, policy);
    }
    ReleasePhase phase = s.getPhase();
    boolean promoted = phase == ReleasePhase.Promoted && s.getCanaryRevision() == null;
    int done = s.getCanaryRevision() != null && s.getCurrentStage() != null ? s.getCurrentStage().getIndex() : 0;
    Instant failedAt = null;
    String failure = null;
    if (phase == ReleasePhase.RolledBack) {
      failedAt = Timestamps.parse(s.getRolledBackAt());
      failure = "RolledBack: " + s.getMessage();
    }
    return new LinkView(resource, true, current(r, s), phase == null ? null : phase.name(),
        promoted ? Integer.MAX_VALUE : done, promoted, failedAt, failure, policy);
  }

  private static boolean blank(String name) {
    return name == null || name.isBlank();
  }

  private static boolean current(HasMetadata resource, StatusBase status) {
    Long generation = resource.getMetadata().getGeneration();
    return generation == null || Objects.equals(generation, status.getObservedGeneration());
  }

  private static Instant stalledSince(StatusBase status) {
    Condition stalled = Conditions.find(status.getConditions(), Conditions.STALLED);
    return stalled == null || !"True".equals(stalled.getStatus()) ? null : Timestamps.parse(stalled.getLastTransitionTime());
  }
}
