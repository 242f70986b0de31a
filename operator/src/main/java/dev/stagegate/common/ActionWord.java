package dev.stagegate.common;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** A user action's word in the `stagegate.dev/action` annotation. */
public interface ActionWord {
  String word();

  static <A extends Enum<A> & ActionWord> Optional<A> parse(Class<A> actions, String text) {
    if (text == null) {
      return Optional.empty();
    } else {
      String wanted = text.trim().toLowerCase(Locale.ROOT);
      return Arrays.stream(actions.getEnumConstants()).filter(a -> a.word().equals(wanted)).findFirst();
    }
  }

  static <A extends Enum<A> & ActionWord> String words(Class<A> actions) {
    return Arrays.stream(actions.getEnumConstants()).map(ActionWord::word).collect(Collectors.joining(", "));
  }
}
