package dev.stagegate.api.migration;

/** Which of the migration's databases a guard queries. Lower case, as users write it in YAML. */
public enum DatabaseSide {
  source,
  target
}
