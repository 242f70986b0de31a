-- Argo CD resource health for Stagegate's Release and DataMigration (stagegate.dev).
-- Install it for both kinds in the argocd-cm ConfigMap (see docs/install.md, "Argo CD"):
--   resource.customizations.health.stagegate.dev_Release
--   resource.customizations.health.stagegate.dev_DataMigration
--
-- The phase decides: Promoted/Succeeded -> Healthy, Paused -> Suspended (waiting for a person or
-- for evidence), RolledBack/Failed and a DataMigration's RollingBack (undoing after a failure) ->
-- Degraded, anything else (Progressing, Pending, Guarding, BackingUp, Migrating, Verifying) ->
-- Progressing. A status that does not yet describe the latest spec (observedGeneration behind
-- metadata.generation) is Progressing.
local hs = {}
local status = obj.status
if status == nil or status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Stagegate operator to report a phase"
  return hs
end

local generation = obj.metadata and obj.metadata.generation
if generation ~= nil and status.observedGeneration ~= nil and status.observedGeneration < generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the Stagegate operator to observe generation " .. tostring(generation)
  return hs
end

local phase = status.phase
if phase == "Promoted" or phase == "Succeeded" then
  hs.status = "Healthy"
elseif phase == "Paused" then
  hs.status = "Suspended"
elseif phase == "RolledBack" or phase == "Failed" or phase == "RollingBack" then
  hs.status = "Degraded"
else
  hs.status = "Progressing"
end

hs.message = phase
if status.pauseReason ~= nil and phase == "Paused" then
  hs.message = hs.message .. " (" .. status.pauseReason .. ")"
end
if status.message ~= nil and status.message ~= "" then
  hs.message = hs.message .. ": " .. status.message
end
return hs
