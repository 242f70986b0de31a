package dev.stagegate.common;

import dev.stagegate.api.common.Reason;

/** A Kubernetes Event the planner wants recorded: a distinct reason per kind of transition. */
public record Note(Type type, String reason, String message) {
  public enum Type { Normal, Warning }

  public static Note normal(Reason reason, String message) {
    return new Note(Type.Normal, reason.name(), message);
  }

  public static Note warning(Reason reason, String message) {
    return new Note(Type.Warning, reason.name(), message);
  }

  public boolean is(Reason reason) {
    return this.reason.equals(reason.name());
  }
}
