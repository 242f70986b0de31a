-- Argo CD action "approve" for a DataMigration (docs/argocd-actions/discovery.lua explains the set): lets a
-- verified Manual stage go on to the next; the same as `kubectl stagegate approve`.
if obj.kind ~= "DataMigration" then
  error("approve applies to a DataMigration; a Release's approval gate is passed with promote", 0)
end
obj.metadata.annotations = obj.metadata.annotations or {}
obj.metadata.annotations["stagegate.dev/action"] = "approve"
return obj
