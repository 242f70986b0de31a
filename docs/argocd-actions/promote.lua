-- Argo CD action "promote" for a Release (docs/argocd-actions/discovery.lua explains the set): completes the
-- current stage now, passing an approval gate; the same as `kubectl stagegate promote`.
if obj.kind ~= "Release" then
  error("promote applies to a Release; a DataMigration's Manual stage goes on with approve", 0)
end
obj.metadata.annotations = obj.metadata.annotations or {}
obj.metadata.annotations["stagegate.dev/action"] = "promote"
return obj
