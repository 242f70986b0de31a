package dev.stagegate.api.templates;

/** Where a check template lives: in the Release's namespace, or cluster-wide. */
public enum TemplateKind {
  CheckTemplate,
  ClusterCheckTemplate
}
