package dev.stagegate.migration.plan;

/** The three Jobs a migration runs; the value is the `stagegate.dev/job-kind` label. */
public enum JobKind {
  LOAD("load"),
  UNDO("undo"),
  BACKUP("backup");

  public static final String LABEL = "stagegate.dev/job-kind";
  private final String label;

  JobKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
