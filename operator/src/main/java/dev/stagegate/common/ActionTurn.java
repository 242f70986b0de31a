package dev.stagegate.common;

import dev.stagegate.api.common.Reason;
import dev.stagegate.api.common.StatusBase;
import java.time.Instant;
import java.util.List;

/**
 * One turn's view of the `stagegate.dev/action` annotation: the action pending, whether a step applied it,
 * and the Event when it is ignored. An action already applied (recorded in status) is never applied twice.
 */
public final class ActionTurn<A extends Enum<A> & ActionWord> {
  private static final int SHOWN = 40;
  private final String observed;
  private final StatusBase next;
  private final List<Note> notes;
  private final Instant now;
  private A action;
  private boolean consumed;

  private ActionTurn(String observed, StatusBase next, List<Note> notes, Instant now) {
    this.observed = observed;
    this.next = next;
    this.notes = notes;
    this.now = now;
  }

  public static <A extends Enum<A> & ActionWord> ActionTurn<A> read(Class<A> actions, String observed, StatusBase next, List<Note> notes, Instant now) {
    ActionTurn<A> turn = new ActionTurn<>(observed, next, notes, now);
    if (observed == null) {
      next.setActionAwaitingRemoval(null);
    } else if (observed.equals(next.getActionAwaitingRemoval())) {
      turn.consumed = true;
    } else {
      ActionWord.parse(actions, observed)
        .ifPresentOrElse(
          a -> turn.action = (A)a,
          () -> {
            turn.consume(null);
            notes.add(
              Note.warning(
                Event.UnknownAction,
                "ignored `stagegate.dev/action: " + shorten(observed) + "`; expected one of " + ActionWord.words(actions)
              )
            );
          }
        );
    }

    return turn;
  }

  public A pending() {
    return this.consumed ? null : this.action;
  }

  public boolean consumed() {
    return this.consumed;
  }

  public void consume(String applied) {
    this.consumed = true;
    this.next.setActionAwaitingRemoval(this.observed);
    if (applied != null) {
      this.next.setLastAction(applied + " at " + Timestamps.format(this.now));
      this.notes.add(Note.normal(Event.ActionApplied, "applied `stagegate.dev/action: " + applied + "`"));
    }
  }

  public void ignore(String why) {
    A ignored = pending();
    if (ignored != null) {
      consume(null);
      this.notes.add(Note.normal(Event.ActionIgnored, "action '" + ignored.word() + "' does not apply " + why));
    }
  }

  private static String shorten(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }

  public enum Event implements Reason {
    ActionApplied,
    ActionIgnored,
    UnknownAction;
  }
}
