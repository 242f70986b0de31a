package dev.stagegate.release;

import dev.stagegate.analysis.CheckOutcome;
import dev.stagegate.api.Check;
import dev.stagegate.api.CheckResult;
import dev.stagegate.api.CheckStatus;
import dev.stagegate.api.Durations;
import dev.stagegate.api.FailurePolicy;
import dev.stagegate.api.Release;
import dev.stagegate.api.ReleasePhase;
import dev.stagegate.api.ReleaseSpec;
import dev.stagegate.api.ReleaseStatus;
import dev.stagegate.api.Stage;
import dev.stagegate.api.StageStatus;
import dev.stagegate.common.Conditions;
import dev.stagegate.common.Copies;
import dev.stagegate.common.Note;
import dev.stagegate.common.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides a Release's next step from its spec, its last status and what was observed, at a given
 * instant. Pure: no Kubernetes, no HTTP, no clock of its own. Everything it needs to continue after
 * an operator restart is in the status it returns.
 */
public final class ReleasePlanner {
  static final Duration DEFAULT_PROGRESS_DEADLINE = Duration.ofMinutes(10);
  static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  static final Duration MIN_REQUEUE = Duration.ofMillis(500);
  static final Duration MAX_REQUEUE = Duration.ofSeconds(30);
  static final Duration IDLE_REQUEUE = Duration.ofMinutes(5);

  /** Pause reasons, as written to status.pauseReason. */
  public static final String PAUSED_BY_SPEC = "Spec";
  public static final String PAUSED_MANUALLY = "Manual";
  public static final String AWAITING_APPROVAL = "AwaitingApproval";
  public static final String CHECK_FAILED = "CheckFailed";
  public static final String NO_EVIDENCE = "NoEvidence";

  /** The checks to evaluate now: during a canary stage whose pods have been ready, each once per interval. */
  public List<Check> dueChecks(Release release, Instant now) {
    ReleaseStatus status = release.getStatus();
    ReleaseSpec spec = release.getSpec();
    if (status == null || spec == null || status.getCanaryRevision() == null || status.getCurrentStage() == null
        || status.getCurrentStage().getReadyAt() == null || status.getPhase() == ReleasePhase.Failed
        || spec.getChecks() == null || !ReleaseValidator.validate(release).isEmpty()) {
      return List.of();
    }
    List<Check> due = new ArrayList<>();
    for (Check check : spec.getChecks()) {
      CheckStatus cs = find(status.getChecks(), check.getName());
      Instant last = cs == null ? null : Timestamps.parse(cs.getLastEvaluationTime());
      if (last == null || !now.isBefore(last.plus(interval(check)))) {
        due.add(check);
      }
    }
    return due;
  }

  public ReleasePlan plan(Release release, ReleaseObservation observation, Instant now) {
    return new Turn(release, observation, now).run();
  }

  static Duration interval(Check check) {
    return Durations.parseOr(check.getInterval(), DEFAULT_INTERVAL);
  }

  static CheckStatus find(List<CheckStatus> checks, String name) {
    if (checks == null) {
      return null;
    }
    return checks.stream().filter(c -> name.equals(c.getName())).findFirst().orElse(null);
  }

  /** One planning turn; holds the working copy of the status and what the turn decided. */
  private static final class Turn {
    private final Release release;
    private final ReleaseSpec spec;
    private final ReleaseObservation obs;
    private final Instant now;
    private final ReleaseStatus next;
    private final List<Note> notes = new ArrayList<>();
    private final Map<String, Integer> scale = new LinkedHashMap<>();
    private final List<Instant> wakeUps = new ArrayList<>();
    private boolean actionConsumed;
    /** Why a NoEvidence or CheckFailed pause holds, found again on every turn: status.message is rebuilt each turn. */
    private String pauseDetail;
    private UserAction action;

    Turn(Release release, ReleaseObservation obs, Instant now) {
      this.release = release;
      this.spec = release.getSpec();
      this.obs = obs;
      this.now = now;
      ReleaseStatus previous = release.getStatus() == null ? new ReleaseStatus() : release.getStatus();
      this.next = Copies.deep(previous, ReleaseStatus.class);
    }

    ReleasePlan run() {
      next.setObservedGeneration(obs.generation());
      List<String> errors = ReleaseValidator.validate(release);
      if (!errors.isEmpty()) {
        return invalid(errors);
      }
      readAction();
      String template = obs.templateRevision();
      int full = spec.getReplicas();

      if (next.getStableRevision() == null) {
        deployFirst(template, full);
      } else if (template.equals(next.getStableRevision())) {
        if (next.getCanaryRevision() != null) {
          notes.add(Note.normal("CanaryAbandoned", "template is back to the stable revision "
              + template + "; canary " + next.getCanaryRevision() + " removed"));
          endCanary();
        }
        if (next.getPhase() == ReleasePhase.RolledBack || next.getPhase() == ReleasePhase.Failed) {
          next.setPhase(null);
        }
        scale.put(template, full);
      } else if (template.equals(next.getFailedRevision()) && next.getCanaryRevision() == null) {
        if (action == UserAction.RETRY) {
          consume("retrying failed revision " + template);
          next.setFailedRevision(null);
          startCanary(template);
        } else {
          if (next.getPhase() != ReleasePhase.RolledBack) {
            // E.g. the spec was invalid for a while (phase Failed): the template is still the failed one.
            next.setPhase(ReleasePhase.RolledBack);
            next.setMessage("revision " + template + " was rolled back and is not retried by itself;"
                + " use the `retry` action or change the template");
          }
          scale.put(next.getStableRevision(), full);
          scale.put(template, 0);
        }
      } else if (!template.equals(next.getCanaryRevision())) {
        if (next.getCanaryRevision() != null) {
          notes.add(Note.normal("CanaryAbandoned", "a newer template " + template + " replaces canary "
              + next.getCanaryRevision() + (spec.isPaused() ? "" : "; starting over")));
          endCanary();
        }
        next.setFailedRevision(null);
        if (spec.isPaused()) {
          holdUnstarted(template);
        } else {
          if (PAUSED_BY_SPEC.equals(next.getPauseReason())) {
            notes.add(Note.normal("Resumed", "spec.paused was cleared: revision " + template + " starts its canary"));
          }
          startCanary(template);
        }
      }

      if (next.getCanaryRevision() != null) {
        progressCanary(full);
      }
      if (action != null && !actionConsumed) {
        consume(null);
        notes.add(Note.normal("ActionIgnored", "action '" + action.word() + "' does not apply in phase "
            + phaseName()));
      }
      settleOtherRevisions(full);
      finishStatus(full);
      return new ReleasePlan(next, changes(), notes, requeue(), actionConsumed);
    }

    // ----- the first revision

    private void deployFirst(String template, int full) {
      next.setStableRevision(template);
      next.setPhase(ReleasePhase.Progressing);
      scale.put(template, full);
      notes.add(Note.normal("StableDeployed", "first revision " + template + " deployed at " + full + " replicas"));
    }

    // ----- a canary's life

    private void startCanary(String revision) {
      next.setCanaryRevision(revision);
      next.setPauseReason(null);
      enterStage(0);
    }

    /**
     * spec.paused is a freeze: a new revision gets no pods and no traffic until it is cleared (the stage
     * clock and the progress deadline start then), as users of Flagger's `suspend` expect.
     */
    private void holdUnstarted(String revision) {
      if (!PAUSED_BY_SPEC.equals(next.getPauseReason())) {
        next.setPauseReason(PAUSED_BY_SPEC);
        notes.add(Note.normal("Paused", "revision " + revision + " waits: spec.paused is set; its canary starts"
            + " when spec.paused is cleared"));
      }
    }

    private void enterStage(int index) {
      Stage stage = spec.getStages().get(index);
      next.setCurrentStage(new StageStatus(index, stage.getName(), Timestamps.precise(now)));
      if (atWeight(stage)) {
        // Already at this stage's share (e.g. 10% and 12% of 10 pods are both 1 pod): its time starts now,
        // not one turn later, so planning again at this instant finds nothing new to do.
        next.getCurrentStage().setReadyAt(Timestamps.precise(now));
      }
      List<CheckStatus> previous = next.getChecks() == null ? List.of() : next.getChecks();
      next.setChecks(new ArrayList<>());
      if (spec.getChecks() != null) {
        for (Check check : spec.getChecks()) {
          CheckStatus fresh = new CheckStatus(check.getName());
          // A sequential test's evidence spans the canary's stages (each interval counts on its own, so the
          // bound still holds); it restarts only with a new canary. Everything else is per stage.
          CheckStatus before = index > 0 ? find(previous, check.getName()) : null;
          if (before != null && check.getSequential() != null) {
            fresh.setSequential(before.getSequential());
          }
          next.getChecks().add(fresh);
        }
      }
      next.setPhase(ReleasePhase.Progressing);
      CanaryReplicas.Split pods = split(stage);
      notes.add(Note.normal("StageStarted", "stage " + stage.getName() + " (" + (index + 1) + "/"
          + spec.getStages().size() + "): weight " + stage.getWeight() + "%, canary " + next.getCanaryRevision()
          + " at " + pods.canary() + " pods beside " + (stage.getWeight() >= 100 ? "no" : pods.stable())
          + " stable"));
    }

    private void endCanary() {
      next.setCanaryRevision(null);
      next.setCurrentStage(null);
      next.setChecks(new ArrayList<>());
      next.setPauseReason(null);
      next.setRequestedWeight(null);
    }

    private void progressCanary(int full) {
      String canary = next.getCanaryRevision();
      String stable = next.getStableRevision();
      StageStatus stageStatus = next.getCurrentStage();
      Stage stage = stageOf(stageStatus);
      int weight = stage.getWeight();
      int canaryTarget = split(stage).canary();
      int canaryReady = obs.ready(canary);
      boolean atWeight = atWeight(stage);
      next.setRequestedWeight(weight);

      if (applyActionToCanary(full)) {
        return;
      }
      syncSpecPause();

      if (atWeight && stageStatus.getReadyAt() == null) {
        stageStatus.setReadyAt(Timestamps.precise(now));
      }
      Instant started = Timestamps.parse(stageStatus.getStartedAt());
      Duration deadline = progressDeadline();
      if (stageStatus.getReadyAt() == null) {
        Instant limit = started.plus(deadline);
        if (!now.isBefore(limit)) {
          fail("ProgressDeadlineExceeded", "canary " + canary + " had " + canaryReady + "/" + canaryTarget
              + " ready pods after the progress deadline " + deadlineText(), full);
          return;
        }
        wakeUps.add(limit);
      }

      applyOutcomes();
      Optional<String> failed = failedCheck();
      if (failed.isPresent()) {
        fail("CheckFailed", failed.get(), full);
        return;
      }
      if (next.getCanaryRevision() == null) {
        return;
      }
      updateEvidenceStall(deadline, stageStatus);

      scale.put(canary, canaryTarget);
      scale.put(stable, stableFor(stage));

      scheduleChecks(stageStatus);
      if (isHeld()) {
        return;
      }
      if (stageComplete(stage, stageStatus, atWeight)) {
        if (stage.needsApproval() && !Boolean.TRUE.equals(stageStatus.getApproved())) {
          if (!AWAITING_APPROVAL.equals(next.getPauseReason())) {
            next.setPauseReason(AWAITING_APPROVAL);
            notes.add(Note.normal("AwaitingApproval", "stage " + stage.getName()
                + " is complete and waits for `stagegate.dev/action: promote`"));
          }
          return;
        }
        completeStage("stage " + stage.getName() + " complete: " + evidenceSummary(), full);
      }
    }

    /**
     * The canary has its stage's share of ready pods. At 100% that also means the stable revision has no
     * ready pods left: until then the canary serves half the traffic, and neither the stage's duration
     * nor its evidence may count as "at 100%".
     */
    private boolean atWeight(Stage stage) {
      CanaryReplicas.Split pods = split(stage);
      int stableReady = obs.ready(next.getStableRevision());
      return obs.ready(next.getCanaryRevision()) >= pods.canary()
          && (stage.getWeight() < 100 ? stableReady <= pods.stable() : stableReady == 0);
    }

    /** The stage's pods per revision, with the canary's extra pods capped by spec.maxSurge. */
    private CanaryReplicas.Split split(Stage stage) {
      int full = spec.getReplicas();
      return CanaryReplicas.split(full, stage.getWeight(), CanaryReplicas.surgePods(spec.getMaxSurge(), full));
    }

    /**
     * The stable revision's pods in a stage. At 100% it goes to zero once the canary has full size ready, and back
     * to full size should the canary lose ready pods; below, it shrinks only as canary pods become ready.
     */
    private int stableFor(Stage stage) {
      int full = spec.getReplicas();
      int canaryReady = obs.ready(next.getCanaryRevision());
      if (stage.getWeight() >= 100) {
        return canaryReady >= full ? 0 : full;
      }
      return CanaryReplicas.stableDuringStage(split(stage), full, canaryReady);
    }

    /** True when the action ended the canary's turn (rolled back or promoted). */
    private boolean applyActionToCanary(int full) {
      if (action == null || actionConsumed) {
        return false;
      }
      StageStatus stageStatus = next.getCurrentStage();
      switch (action) {
        case ABORT -> {
          consume("abort");
          rollback("Aborted", "aborted by `stagegate.dev/action: abort`", full);
          return true;
        }
        case PAUSE -> {
          consume("pause");
          next.setPauseReason(PAUSED_MANUALLY);
          notes.add(Note.normal("Paused", "paused by `stagegate.dev/action: pause` at stage "
              + stageStatus.getName()));
        }
        case RESUME -> {
          consume("resume");
          if (next.getPauseReason() != null && !AWAITING_APPROVAL.equals(next.getPauseReason())) {
            if (CHECK_FAILED.equals(next.getPauseReason())) {
              next.getChecks().forEach(c -> c.setConsecutiveFailures(0));
            }
            next.setPauseReason(null);
            notes.add(Note.normal("Resumed", "resumed by `stagegate.dev/action: resume`"));
          }
        }
        case PROMOTE -> {
          consume("promote");
          stageStatus.setApproved(true);
          next.setPauseReason(null);
          completeStage("stage " + stageStatus.getName() + " promoted by `stagegate.dev/action: promote`", full);
          return true;
        }
        case PROMOTE_FULL -> {
          consume("promote-full");
          notes.add(Note.normal("StageCompleted", "remaining stages skipped by `stagegate.dev/action: promote-full`"));
          promote(full);
          return true;
        }
        case RETRY -> {
          if (CHECK_FAILED.equals(next.getPauseReason())) {
            consume("retry");
            notes.add(Note.normal("Retrying", "restarting canary " + next.getCanaryRevision() + " from the first stage"));
            startCanary(next.getCanaryRevision());
            Stage first = spec.getStages().get(0);
            scale.put(next.getCanaryRevision(), split(first).canary());
            scale.put(next.getStableRevision(), stableFor(first));
            return true;
          }
        }
        default -> { }
      }
      return false;
    }

    private void syncSpecPause() {
      if (spec.isPaused() && next.getPauseReason() == null) {
        next.setPauseReason(PAUSED_BY_SPEC);
        notes.add(Note.normal("Paused", "paused by spec.paused"));
      } else if (!spec.isPaused() && PAUSED_BY_SPEC.equals(next.getPauseReason())) {
        next.setPauseReason(null);
        notes.add(Note.normal("Resumed", "spec.paused was cleared"));
      }
    }

    /** Holds that stop a stage from completing; awaiting approval is not one (it is checked at completion). */
    private boolean isHeld() {
      String reason = next.getPauseReason();
      return spec.isPaused() || PAUSED_MANUALLY.equals(reason) || CHECK_FAILED.equals(reason)
          || NO_EVIDENCE.equals(reason);
    }

    private void applyOutcomes() {
      if (spec.getChecks() == null || !outcomesBelongToCurrentStage()) {
        return;
      }
      for (Check check : spec.getChecks()) {
        CheckOutcome outcome = obs.outcomes().get(check.getName());
        if (outcome == null) {
          continue;
        }
        CheckStatus cs = find(next.getChecks(), check.getName());
        if (cs == null) {
          cs = new CheckStatus(check.getName());
          next.getChecks().add(cs);
        }
        cs.setLastEvaluationTime(Timestamps.precise(now));
        cs.setEvaluations((cs.getEvaluations() == null ? 0 : cs.getEvaluations()) + 1);
        cs.setLastResult(outcome.result());
        cs.setLastValue(format(outcome.value()));
        cs.setBaselineValue(format(outcome.baseline()));
        cs.setMessage(outcome.message());
        if (outcome.sequential() != null) {
          cs.setSequential(outcome.sequential());
        }
        switch (outcome.result()) {
          case Pass -> {
            cs.setConsecutiveFailures(0);
            cs.setPassedInStage(true);
            cs.setLastConclusiveTime(Timestamps.precise(now));
            cs.setNoWorse(outcome.noWorse() ? Boolean.TRUE : null);
          }
          case Fail -> {
            cs.setConsecutiveFailures(cs.failures() + 1);
            cs.setLastConclusiveTime(Timestamps.precise(now));
            cs.setNoWorse(null);
            notes.add(Note.warning("CheckFailed", "check " + check.getName() + " failed ("
                + cs.failures() + "/" + check.failureLimitOrDefault() + "): " + outcome.message()));
          }
          default -> { }
        }
      }
    }

    /**
     * The outcomes were measured for the stage the previous status described (that is what dueChecks
     * saw). A canary started over in this turn, by a newer template, has no evidence of its own yet:
     * crediting it with the old canary's results could roll it back, or pass its first stage, unseen.
     */
    private boolean outcomesBelongToCurrentStage() {
      ReleaseStatus before = release.getStatus();
      StageStatus measured = before == null ? null : before.getCurrentStage();
      StageStatus current = next.getCurrentStage();
      return measured != null && current != null
          && Objects.equals(before.getCanaryRevision(), next.getCanaryRevision())
          && Objects.equals(measured.getIndex(), current.getIndex())
          && Objects.equals(measured.getStartedAt(), current.getStartedAt());
    }

    private Optional<String> failedCheck() {
      if (spec.getChecks() == null) {
        return Optional.empty();
      }
      for (Check check : spec.getChecks()) {
        CheckStatus cs = find(next.getChecks(), check.getName());
        if (cs != null && cs.failures() >= check.failureLimitOrDefault()) {
          return Optional.of("check " + check.getName() + " failed " + cs.failures() + " time(s) in a row: "
              + cs.getMessage());
        }
      }
      return Optional.empty();
    }

    /** NoData and Error never fail a stage, but past the progress deadline the release stalls and says why. */
    private void updateEvidenceStall(Duration deadline, StageStatus stageStatus) {
      Instant readyAt = Timestamps.parse(stageStatus.getReadyAt());
      if (readyAt == null || spec.getChecks() == null) {
        return;
      }
      String stalled = null;
      for (Check check : spec.getChecks()) {
        CheckStatus cs = find(next.getChecks(), check.getName());
        if (cs == null || cs.getLastResult() == null || cs.getLastResult().conclusive()) {
          continue;
        }
        Instant since = latest(readyAt, Timestamps.parse(cs.getLastConclusiveTime()));
        Instant limit = since.plus(deadline);
        if (!now.isBefore(limit)) {
          stalled = "check " + check.getName() + " has had no conclusive result for " + deadlineText()
              + ": " + cs.getLastResult() + ": " + cs.getMessage();
          break;
        }
        wakeUps.add(limit);
      }
      if (stalled != null) {
        pauseDetail = stalled;
      }
      if (stalled != null && next.getPauseReason() == null) {
        next.setPauseReason(NO_EVIDENCE);
        notes.add(Note.warning("NoEvidence", stalled + "; holding the stage until the check is conclusive again"));
      } else if (stalled == null && NO_EVIDENCE.equals(next.getPauseReason())) {
        next.setPauseReason(null);
        notes.add(Note.normal("Resumed", "checks are conclusive again"));
      }
    }

    /**
     * Wake up when the next check is due, as dueChecks sees it. Also while held: checks keep running
     * during a pause, and a NoEvidence pause ends by itself only when a check is evaluated again.
     */
    private void scheduleChecks(StageStatus stageStatus) {
      if (stageStatus.getReadyAt() == null || spec.getChecks() == null) {
        return;
      }
      for (Check check : spec.getChecks()) {
        CheckStatus cs = find(next.getChecks(), check.getName());
        Instant last = cs == null ? null : Timestamps.parse(cs.getLastEvaluationTime());
        wakeUps.add(last == null ? now : last.plus(interval(check)));
      }
    }

    private boolean stageComplete(Stage stage, StageStatus stageStatus, boolean atWeight) {
      Instant readyAt = Timestamps.parse(stageStatus.getReadyAt());
      if (!atWeight || readyAt == null) {
        return false;
      }
      boolean allPassed = true;
      boolean allNoWorse = spec.getChecks() != null && !spec.getChecks().isEmpty();
      for (Check check : spec.getChecks() == null ? List.<Check>of() : spec.getChecks()) {
        CheckStatus cs = find(next.getChecks(), check.getName());
        boolean passing = cs != null && cs.passed() && cs.failures() == 0 && cs.getLastResult() == CheckResult.Pass;
        allPassed &= passing;
        allNoWorse &= passing && Boolean.TRUE.equals(cs.getNoWorse());
      }
      if (!allPassed) {
        return false;
      }
      Instant durationEnds = readyAt.plus(Durations.parseOr(stage.getDuration(), Duration.ZERO));
      if (now.isBefore(durationEnds) && !allNoWorse) {
        wakeUps.add(durationEnds);
        return false;
      }
      return true;
    }

    private void completeStage(String message, int full) {
      StageStatus current = next.getCurrentStage();
      notes.add(Note.normal("StageCompleted", message));
      next.setPauseReason(null);
      int following = current.getIndex() + 1;
      if (following < spec.getStages().size()) {
        enterStage(following);
        Stage stage = spec.getStages().get(following);
        scale.put(next.getCanaryRevision(), split(stage).canary());
        scale.put(next.getStableRevision(), stableFor(stage));
        next.setRequestedWeight(stage.getWeight());
        wakeUps.add(now);
      } else {
        promote(full);
      }
    }

    /** The canary becomes stable at full size; its pods are not restarted, only the old revision scales down. */
    private void promote(int full) {
      String promoted = next.getCanaryRevision();
      String previous = next.getStableRevision();
      endCanary();
      next.setStableRevision(promoted);
      scale.put(promoted, full);
      if (!previous.equals(promoted)) {
        scale.put(previous, obs.ready(promoted) >= full ? 0 : full);
      }
      next.setPhase(ReleasePhase.Promoted);
      notes.add(Note.normal("Promoted", "revision " + promoted + " is stable; " + previous + " scales down"));
      wakeUps.add(now);
    }

    private void fail(String reason, String message, int full) {
      if (spec.failurePolicy() == FailurePolicy.Pause) {
        pauseDetail = message;
        if (!CHECK_FAILED.equals(next.getPauseReason())) {
          next.setPauseReason(CHECK_FAILED);
          notes.add(Note.warning(reason, message + "; paused (onFailure: Pause): use the `resume`, `retry` or `abort` action"));
        }
        Stage stage = stageOf(next.getCurrentStage());
        scale.put(next.getCanaryRevision(), split(stage).canary());
        scale.put(next.getStableRevision(), stableFor(stage));
        return;
      }
      rollback(reason, message, full);
    }

    /** Within one reconcile: canary to zero, stable at full size. */
    private void rollback(String reason, String message, int full) {
      String failed = next.getCanaryRevision();
      // The checks as they stood stay in status for triage (kubectl describe); a new canary starts afresh.
      List<CheckStatus> evidence = next.getChecks();
      endCanary();
      next.setChecks(evidence == null ? new ArrayList<>() : evidence);
      next.setFailedRevision(failed);
      next.setPhase(ReleasePhase.RolledBack);
      next.setMessage("rolled back " + failed + ": " + message);
      scale.put(next.getStableRevision(), full);
      scale.put(failed, 0);
      notes.add(Note.warning("RolledBack", "rolled back canary " + failed + " (" + reason + "): " + message));
    }

    // ----- actions and the rest

    private void readAction() {
      if (obs.action() == null) {
        next.setActionAwaitingRemoval(null);
        return;
      }
      if (obs.action().equals(next.getActionAwaitingRemoval())) {
        // Applied already, but its removal did not go through (the operator stopped, or the patch failed):
        // remove it again, never apply it twice.
        actionConsumed = true;
        return;
      }
      Optional<UserAction> parsed = UserAction.parse(obs.action());
      if (parsed.isEmpty()) {
        consume(null);
        notes.add(Note.warning("UnknownAction", "ignored `stagegate.dev/action: " + obs.action()
            + "`; expected one of promote, promote-full, pause, resume, abort, retry"));
        return;
      }
      action = parsed.get();
    }

    private void consume(String applied) {
      actionConsumed = true;
      next.setActionAwaitingRemoval(obs.action());
      if (applied != null) {
        next.setLastAction(applied + " at " + Timestamps.format(now));
        notes.add(Note.normal("ActionApplied", "applied `stagegate.dev/action: " + applied + "`"));
      }
    }

    /** Old revisions go away once the stable revision serves at full size; the failed one stays at zero for inspection. */
    private void settleOtherRevisions(int full) {
      boolean stableFull = obs.ready(next.getStableRevision()) >= full;
      for (DeploymentState d : obs.deployments().values()) {
        String rev = d.revision();
        if (scale.containsKey(rev) || rev.equals(next.getStableRevision()) || rev.equals(next.getCanaryRevision())) {
          continue;
        }
        if (rev.equals(next.getFailedRevision())) {
          scale.put(rev, 0);
        } else if (stableFull) {
          scale.put(rev, -1);
        }
      }
      if (next.getStableRevision() != null && !scale.containsKey(next.getStableRevision())) {
        scale.put(next.getStableRevision(), full);
      }
    }

    private void finishStatus(int full) {
      String stable = next.getStableRevision();
      String canary = next.getCanaryRevision();
      int stableReady = obs.ready(stable);
      int canaryReady = obs.ready(canary);
      next.setActualWeight(canary == null ? null : CanaryReplicas.actualWeight(canaryReady, stableReady));
      if (canary == null) {
        next.setRequestedWeight(null);
      }
      String held = settleSpecHold();
      boolean ready;
      boolean reconciling;
      boolean stalled;
      String reason;
      String message;
      if (canary != null) {
        boolean paused = next.getPauseReason() != null || spec.isPaused();
        next.setPhase(paused ? ReleasePhase.Paused : ReleasePhase.Progressing);
        StageStatus s = next.getCurrentStage();
        reason = paused ? pauseReason() : "Progressing";
        message = (paused ? "paused (" + pauseReason() + ") at" : "at") + " stage " + s.getName() + " ("
            + (s.getIndex() + 1) + "/" + spec.getStages().size() + "), canary " + canary + " weight "
            + next.getActualWeight() + "% of requested " + next.getRequestedWeight() + "%";
        if (NO_EVIDENCE.equals(next.getPauseReason()) && pauseDetail != null) {
          message = message + ": " + pauseDetail;
        } else if (CHECK_FAILED.equals(next.getPauseReason())) {
          // A later Pass resets the failure count, so this turn may no longer see the failure itself.
          message = message + ": " + (pauseDetail != null ? pauseDetail
              : "stopped by an earlier failure (see the Warning Events); use the `resume`, `retry` or `abort` action");
        }
        ready = false;
        reconciling = true;
        stalled = NO_EVIDENCE.equals(next.getPauseReason()) || CHECK_FAILED.equals(next.getPauseReason());
      } else if (held != null) {
        next.setPhase(ReleasePhase.Paused);
        reason = PAUSED_BY_SPEC;
        message = "paused (spec.paused): revision " + held + " waits to start its canary; revision "
            + stable + " serves with " + stableReady + "/" + full + " ready pods";
        ready = false;
        reconciling = true;
        stalled = false;
      } else if (next.getPhase() == ReleasePhase.RolledBack) {
        reason = "RolledBack";
        message = next.getMessage();
        ready = false;
        reconciling = false;
        stalled = true;
      } else {
        boolean serving = stableReady >= full;
        next.setPhase(serving ? ReleasePhase.Promoted : ReleasePhase.Progressing);
        reason = serving ? "Promoted" : "Progressing";
        message = "revision " + stable + " is stable with " + stableReady + "/" + full + " ready pods";
        ready = serving;
        reconciling = !serving;
        stalled = false;
      }
      next.setMessage(message);
      next.setConditions(Conditions.kstatus(next.getConditions(), ready, reconciling, stalled, reason, message,
          obs.generation(), now));
    }

    /**
     * The template spec.paused holds back from starting a canary, or null. A hold that no longer applies (the
     * template was reverted, or the spec changed in a way that needs no canary) is cleared here.
     */
    private String settleSpecHold() {
      if (next.getCanaryRevision() != null || !PAUSED_BY_SPEC.equals(next.getPauseReason())) {
        return null;
      }
      String template = obs.templateRevision();
      if (spec.isPaused() && !template.equals(next.getStableRevision()) && !template.equals(next.getFailedRevision())) {
        return template;
      }
      next.setPauseReason(null);
      return null;
    }

    private String pauseReason() {
      return next.getPauseReason() != null ? next.getPauseReason() : PAUSED_BY_SPEC;
    }

    private ReleasePlan invalid(List<String> errors) {
      String message = "invalid spec: " + String.join("; ", errors);
      boolean changed = next.getPhase() != ReleasePhase.Failed || !message.equals(next.getMessage());
      next.setPhase(ReleasePhase.Failed);
      next.setMessage(message);
      next.setConditions(Conditions.kstatus(next.getConditions(), false, false, true, "InvalidSpec", message,
          obs.generation(), now));
      if (changed) {
        notes.add(Note.warning("InvalidSpec", message));
      }
      // Nothing is deployed or changed for an invalid spec; a new generation wakes us, not a timer.
      return new ReleasePlan(next, List.of(), notes, IDLE_REQUEUE, false);
    }

    private List<WorkloadChange> changes() {
      List<WorkloadChange> changes = new ArrayList<>();
      scale.forEach((rev, replicas) -> changes.add(replicas < 0
          ? new WorkloadChange.Delete(rev) : new WorkloadChange.Scale(rev, replicas)));
      return changes;
    }

    private Duration requeue() {
      Optional<Instant> soonest = wakeUps.stream().min(Instant::compareTo);
      if (soonest.isEmpty()) {
        return next.getCanaryRevision() != null ? MAX_REQUEUE : IDLE_REQUEUE;
      }
      Duration wait = Duration.between(now, soonest.get());
      if (wait.compareTo(MIN_REQUEUE) < 0) {
        return MIN_REQUEUE;
      }
      return wait.compareTo(MAX_REQUEUE) > 0 ? MAX_REQUEUE : wait;
    }

    /** The spec's stage for a status entry; an edit that removed stages leaves us in the last one. */
    private Stage stageOf(StageStatus stageStatus) {
      return spec.getStages().get(Math.min(stageStatus.getIndex(), spec.getStages().size() - 1));
    }

    private Duration progressDeadline() {
      return Durations.parseOr(spec.getProgressDeadline(), DEFAULT_PROGRESS_DEADLINE);
    }

    /** The deadline as the user wrote it, or the default in the same notation. */
    private String deadlineText() {
      return spec.getProgressDeadline() != null ? spec.getProgressDeadline()
          : DEFAULT_PROGRESS_DEADLINE.toMinutes() + "m";
    }

    private String phaseName() {
      return next.getPhase() == null ? "Progressing" : next.getPhase().name();
    }

    private String evidenceSummary() {
      if (next.getChecks().isEmpty()) {
        return "pods ready, no checks";
      }
      List<String> parts = new ArrayList<>();
      for (CheckStatus cs : next.getChecks()) {
        parts.add(cs.getName() + "=" + cs.getLastValue() + " " + cs.getLastResult());
      }
      return String.join(", ", parts);
    }

    private static Instant latest(Instant a, Instant b) {
      return b == null || a.isAfter(b) ? a : b;
    }

    private static String format(Double value) {
      if (value == null) {
        return null;
      }
      if (value.isNaN() || value.isInfinite()) {
        return String.valueOf(value);
      }
      return String.format(java.util.Locale.ROOT, "%.6g", value).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2")
          .replaceAll("\\.(e|$)", "$1");
    }
  }
}
