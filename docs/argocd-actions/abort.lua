-- Argo CD action "abort" for a Release or a DataMigration (docs/argocd-actions/discovery.lua explains the
-- set): a Release rolls back to its stable revision, a DataMigration undoes its loaded stages, newest first;
-- the same as `kubectl stagegate abort`.
obj.metadata.annotations = obj.metadata.annotations or {}
obj.metadata.annotations["stagegate.dev/action"] = "abort"
return obj
