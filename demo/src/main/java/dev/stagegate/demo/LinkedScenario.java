package dev.stagegate.demo;

import dev.stagegate.api.common.GateUntil;
import dev.stagegate.api.common.LinkStatus;
import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationStatus;
import dev.stagegate.api.migration.MigrationPhase;
import dev.stagegate.api.migration.StageProgress;
import dev.stagegate.api.migration.StageState;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleaseGate;
import dev.stagegate.api.release.ReleasePhase;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.release.ReleaseWorkload;
import dev.stagegate.release.RevisionHash;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * Scenario 6: the example Release's next revision needs the migrated members. In one go, as one GitOps commit
 * would, the demo gives the Release a new image and a gate (its first stage, so the new revision gets no pods,
 * waits for the migration's pilot to be verified) and applies the DataMigration beside it, whose loader writes
 * fixtures. The pilot's compare finds them, the migration undoes the pilot, and the waiting canary rolls back with
 * it without ever serving. Both timelines are recorded.
 */
final class LinkedScenario {
  static final String RELEASE_LANE = "Release";
  static final String MIGRATION_LANE = "DataMigration";
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final Duration POLL = Duration.ofMillis(100);

  private final Sandbox sandbox;
  private final LiveView view;
  private final Timeline timeline;
  private final Release releaseExample;
  private final DataMigration migrationExample;
  private final MigrationScenarios migrations;

  LinkedScenario(Sandbox sandbox, LiveView view, Timeline timeline, Release releaseExample,
      DataMigration migrationExample, MigrationScenarios migrations) {
    this.sandbox = sandbox;
    this.view = view;
    this.timeline = timeline;
    this.releaseExample = releaseExample;
    this.migrationExample = migrationExample;
    this.migrations = migrations;
  }

  ScenarioResult badLoaderRollsBothBack(int number, String title, String expected) throws Exception {
    String ns = releaseExample.getMetadata().getNamespace();
    String name = releaseExample.getMetadata().getName();
    DataMigration migration = sandbox.client().getKubernetesSerialization().clone(migrationExample);
    migration.getMetadata().setNamespace(ns);
    String migrationName = migration.getMetadata().getName();
    // The migration's own namespace is the Release's: links are same-namespace only.
    sandbox.jobs().writeFixtures(ns);
    migrations.prepare(ns, MembersDatabase.PRODUCTION, MembersDatabase.LINKED_TARGET);
    String before = sandbox.database().checksum(MembersDatabase.LINKED_TARGET);

    Release current = read(ns, name);
    PodTemplateSpec template = withImageTag(current.getSpec().getTemplate(), "1.7.0");
    String v4 = RevisionHash.named(name, template);
    view.nameRevision(v4, "v4");
    view.track(v4);
    String waitingStage = current.getSpec().getStages().get(0).getName();
    view.note("one commit: set image " + template.getSpec().getContainers().get(0).getImage() + " (v4, healthy) with"
        + " spec.gates [stage " + waitingStage + " waits for DataMigration " + migrationName + " stage 0], and apply"
        + " the DataMigration (its loader writes fixtures)");
    long t0 = System.nanoTime();
    long generation = edit(ns, name, r -> {
      r.getSpec().setTemplate(template);
      r.getSpec().setGates(new ArrayList<>(List.of(new ReleaseGate(0, migrationName, new GateUntil(0, null)))));
      return r;
    });
    sandbox.client().resources(DataMigration.class).inNamespace(ns).resource(migration).create();

    String releaseLane = RELEASE_LANE + " " + name;
    String migrationLane = MIGRATION_LANE + " " + migrationName;
    String lastRelease = null;
    String lastMigration = null;
    Release r = null;
    DataMigration m = null;
    long deadline = t0 + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      r = read(ns, name);
      m = sandbox.client().resources(DataMigration.class).inNamespace(ns).withName(migrationName).get();
      double seconds = (System.nanoTime() - t0) / 1e9;
      String releaseState = releaseLabel(r, generation);
      String migrationState = migrationLabel(m);
      if (!releaseState.equals(lastRelease)) {
        timeline.lane(new Timeline.LaneState(number, releaseLane, seconds, releaseState));
        lastRelease = releaseState;
      }
      if (!migrationState.equals(lastMigration)) {
        timeline.lane(new Timeline.LaneState(number, migrationLane, seconds, migrationState));
        lastMigration = migrationState;
      }
      if (releaseDecided(r, generation) && m != null && m.getStatus() != null && terminal(m.getStatus().getPhase())) {
        break;
      }
      Thread.sleep(POLL.toMillis());
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    ReleaseStatus rs = r == null ? null : r.getStatus();
    DataMigrationStatus ms = m == null ? null : m.getStatus();
    String outcome = releaseOutcome(rs) + "+" + migrationOutcome(ms);
    view.decision(outcome);

    String after = sandbox.database().checksum(MembersDatabase.LINKED_TARGET);
    Map<String, Integer> replicas = Waits.until(() -> replicasByRevision(ns, name),
        x -> x.getOrDefault("v4", 0) == 0, Duration.ofSeconds(10));
    boolean releaseRolledBack = rs != null && rs.getPhase() == ReleasePhase.RolledBack && v4.equals(rs.getFailedRevision())
        && rs.getMessage() != null && rs.getMessage().contains("linked DataMigration/" + migrationName)
        && rs.getLinks() != null && rs.getLinks().stream().anyMatch(l -> LinkStatus.FAILED.equals(l.getState()));
    List<StageProgress> stages = ms == null ? List.of() : ms.getStages();
    boolean pilotUndone = !stages.isEmpty() && stages.get(0).getState() == StageState.Undone
        && stages.stream().skip(1).allMatch(p -> p.getJob() == null);
    boolean neverServed = timeline.points(number).stream().mapToInt(Timeline.ReleasePoint::weight).max().orElse(0) == 0;
    boolean migrationRolledBack = ms != null && ms.getPhase() == MigrationPhase.RolledBack;
    boolean waited = timeline.lanes(number).stream().anyMatch(l -> l.label().startsWith("WaitingForGate"));
    String detail = String.format(Locale.ROOT, "release %s %s %s with no pods for the pilot (never served), rolled"
            + " back when the migration failed: %s; migration %s, undo deleted %,d; target %s; replicas %s",
        view.revisionName(v4), waited ? "waited at" : "DID NOT WAIT at", current.getSpec().getStages().get(0).getName(),
        rs == null ? "-" : rs.getMessage(),
        migrationOutcome(ms), sandbox.jobs().undone(ns),
        before.equals(after) ? "as before (" + after + ")" : "CHANGED: " + before + " → " + after, replicas);
    return new ScenarioResult(number, "linked-release-migration", title, expected, outcome,
        releaseRolledBack && migrationRolledBack && pilotUndone && waited && neverServed && before.equals(after)
            && replicas.getOrDefault("v4", 0) == 0,
        seconds, sandbox.jobs().loaded(ns, null), null, detail);
  }

  private static String releaseLabel(Release r, long generation) {
    ReleaseStatus s = r == null ? null : r.getStatus();
    if (s == null || s.getObservedGeneration() == null || s.getObservedGeneration() < generation) {
      return "applied";
    }
    String label = s.getPhase() == null ? "-" : s.getPhase().name();
    if (s.getPauseReason() != null) {
      label = s.getPauseReason();
    }
    if (s.getCanaryRevision() != null && s.getCurrentStage() != null) {
      label += " " + s.getCurrentStage().getName();
    }
    if (s.getPhase() == ReleasePhase.RolledBack && s.getLinks() != null) {
      // status.links says which linked resource took the canary back with it.
      label += s.getLinks().stream().filter(l -> LinkStatus.FAILED.equals(l.getState()))
          .map(l -> " (linked " + l.getResource() + " failed)").findFirst().orElse("");
    }
    return label;
  }

  private static String migrationLabel(DataMigration m) {
    DataMigrationStatus s = m == null ? null : m.getStatus();
    if (s == null || s.getPhase() == null) {
      return "applied";
    }
    String label = s.getPauseReason() != null ? s.getPauseReason() : s.getPhase().name();
    return s.getCurrentStage() != null && !terminal(s.getPhase()) ? label + " " + s.getCurrentStage() : label;
  }

  private static boolean releaseDecided(Release r, long generation) {
    ReleaseStatus s = r == null ? null : r.getStatus();
    return s != null && s.getObservedGeneration() != null && s.getObservedGeneration() >= generation
        && (s.getPhase() == ReleasePhase.RolledBack || s.getPhase() == ReleasePhase.Promoted
            || s.getPhase() == ReleasePhase.Failed);
  }

  private static String releaseOutcome(ReleaseStatus s) {
    return s == null || s.getPhase() == null ? "NoDecision" : s.getPhase().name();
  }

  private static String migrationOutcome(DataMigrationStatus s) {
    if (s == null || s.getPhase() == null || !terminal(s.getPhase())) {
      return "NoDecision(" + TIMEOUT.toSeconds() + "s)";
    }
    return s.getFailureReason() == null ? s.getPhase().name() : s.getPhase().name() + "/" + s.getFailureReason();
  }

  private static boolean terminal(MigrationPhase phase) {
    return phase == MigrationPhase.Succeeded || phase == MigrationPhase.RolledBack || phase == MigrationPhase.Failed;
  }

  private Release read(String ns, String name) {
    return sandbox.client().resources(Release.class).inNamespace(ns).withName(name).get();
  }

  /** Edits the Release as `kubectl apply` of the new commit would; returns the generation it made. */
  private long edit(String ns, String name, UnaryOperator<Release> change) {
    for (int attempt = 1; ; attempt++) {
      try {
        return sandbox.client().resources(Release.class).inNamespace(ns).withName(name).edit(change)
            .getMetadata().getGeneration();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= 20) {
          throw e;
        }
      }
    }
  }

  private Map<String, Integer> replicasByRevision(String ns, String name) {
    Map<String, Integer> replicas = new TreeMap<>();
    for (Deployment d : sandbox.client().apps().deployments().inNamespace(ns)
        .withLabel(ReleaseWorkload.RELEASE_LABEL, name).list().getItems()) {
      ReleaseWorkload.revisionOf(d).ifPresent(rev -> replicas.put(view.revisionName(rev), d.getSpec().getReplicas()));
    }
    return replicas;
  }

  private static PodTemplateSpec withImageTag(PodTemplateSpec template, String tag) {
    PodTemplateSpec copy = new PodTemplateSpecBuilder(template).build();
    var container = copy.getSpec().getContainers().get(0);
    String image = container.getImage();
    int colon = image.lastIndexOf(':');
    container.setImage((colon > image.lastIndexOf('/') ? image.substring(0, colon) : image) + ":" + tag);
    return copy;
  }
}
