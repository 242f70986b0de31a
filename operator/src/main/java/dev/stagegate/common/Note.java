package dev.stagegate.common;

/** A Kubernetes Event the planner wants recorded: a distinct reason per kind of transition. */
public record Note(Type type, String reason, String message) {
  public enum Type { Normal, Warning }

  public static Note normal(String reason, String message) {
    return new Note(Type.Normal, reason, message);
  }

  public static Note warning(String reason, String message) {
    return new Note(Type.Warning, reason, message);
  }
}
