package dev.stagegate.common;

import java.time.Duration;
import java.util.List;

/**
 * What every planner answers: the next status, the Events, when to look again, and whether the action
 * annotation was consumed.
 */
public interface Plan<S> {
  S status();

  List<Note> notes();

  Duration requeueAfter();

  boolean actionConsumed();
}
