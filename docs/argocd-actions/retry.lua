-- Argo CD action "retry" for a Release or a DataMigration (docs/argocd-actions/discovery.lua explains the
-- set); the same as `kubectl stagegate retry`. A Release starts its canary again from the first stage; a
-- DataMigration's word is "retry-stage": the operator undoes the current stage, then loads it again.
local words = {Release = "retry", DataMigration = "retry-stage"}
local word = words[obj.kind]
if word == nil then
  error("retry applies to a Release or a DataMigration, not to a " .. tostring(obj.kind), 0)
end
obj.metadata.annotations = obj.metadata.annotations or {}
obj.metadata.annotations["stagegate.dev/action"] = word
return obj
