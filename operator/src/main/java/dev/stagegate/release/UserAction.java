package dev.stagegate.release;

import java.util.Locale;
import java.util.Optional;

/** What a person asks for with the annotation `stagegate.dev/action`, without editing the spec. */
public enum UserAction {
  PROMOTE("promote"),
  PROMOTE_FULL("promote-full"),
  PAUSE("pause"),
  RESUME("resume"),
  ABORT("abort"),
  RETRY("retry");

  public static final String ANNOTATION = "stagegate.dev/action";
  private final String word;

  UserAction(String word) {
    this.word = word;
  }

  public String word() {
    return word;
  }

  public static Optional<UserAction> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    for (UserAction action : values()) {
      if (action.word.equals(wanted)) {
        return Optional.of(action);
      }
    }
    return Optional.empty();
  }
}
