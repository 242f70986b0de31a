-- Argo CD resource actions for Stagegate's Release and DataMigration (stagegate.dev): which actions the
-- Argo CD UI offers, and which of them apply now. Install it as `discovery.lua` for both kinds in the
-- argocd-cm ConfigMap (see docs/install.md, "Argo CD"); the actions themselves are promote.lua,
-- approve.lua, abort.lua and retry.lua beside this file.
--
-- Each action only writes the `stagegate.dev/action` annotation, exactly as `kubectl stagegate` does; the
-- operator applies it on its next turn and reports an action that does not fit as an ActionIgnored event.
-- "disabled" mirrors when the operator would apply it, so that the UI does not offer a no-op:
--   Release:       promote and abort while the canary runs (Progressing, Paused); retry after a failed
--                  check (Paused for CheckFailed) or a rollback (RolledBack).
--   DataMigration: approve at a Manual stage (Paused for AwaitingApproval); abort until it has finished;
--   retry (retry-stage) after a failed backup, Job or verify check.
-- A status that does not describe the latest spec (observedGeneration behind metadata.generation) offers
-- nothing: the operator has not looked at the change yet.
local actions = {}
local status = obj.status or {}
local phase = status.phase
local reason = status.pauseReason
local generation = obj.metadata and obj.metadata.generation
local current = not (generation ~= nil and status.observedGeneration ~= nil and status.observedGeneration < generation)

local function offer(name, enabled)
  actions[name] = {["disabled"] = not (current and enabled)}
end

if obj.kind == "Release" then
  local running = phase == "Progressing" or phase == "Paused"
  offer("promote", running)
  offer("abort", running)
  offer("retry", (phase == "Paused" and reason == "CheckFailed") or phase == "RolledBack")
elseif obj.kind == "DataMigration" then
  local finished = phase == "Succeeded" or phase == "RolledBack" or phase == "Failed" or phase == "RollingBack"
  offer("approve", phase == "Paused" and reason == "AwaitingApproval")
  offer("abort", phase ~= nil and not finished)
  offer("retry", phase == "Paused"
    and (reason == "BackupFailed" or reason == "WorkerFailed" or reason == "VerifyFailed"))
end
return actions
