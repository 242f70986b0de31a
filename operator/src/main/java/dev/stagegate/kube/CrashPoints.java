package dev.stagegate.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Named points of a reconcile turn where an operator process could die: before the status is committed,
 * after the commit and before the actions, after the actions and their Events. Production uses
 * {@link #NONE}; the restart-injection tests stop an instance dead at one of them (by throwing an Error no
 * reconcile code catches) and start a fresh one, to prove a restart never repeats or loses an action.
 */
public interface CrashPoints {
  CrashPoints NONE = (point, resource, decided) -> { };

  /** The turn of {@code resource} reached {@code point}; {@code decided} is the status this turn commits. */
  void reached(Point point, HasMetadata resource, Object decided);

  enum Point {
    BEFORE_COMMIT, AFTER_COMMIT, AFTER_ACT
  }
}
