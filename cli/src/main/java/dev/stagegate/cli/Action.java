package dev.stagegate.cli;

import java.util.Map;
import java.util.Optional;

/**
 * A plugin command that asks the operator for something by writing the `stagegate.dev/action`
 * annotation, and the word it writes on each kind. The words are the operator's own (UserAction for a
 * Release, MigrationAction for a DataMigration; a test keeps them in step); a command with no word for a
 * kind is refused with the reason and what to use instead.
 */
enum Action {
  PROMOTE("promote",
      Map.of(Kind.RELEASE, "promote"),
      Map.of(Kind.DATA_MIGRATION, "a DataMigration has no promote; its Manual stages go on with `kubectl stagegate approve`")),
  PROMOTE_FULL("promote --full",
      Map.of(Kind.RELEASE, "promote-full"),
      Map.of(Kind.DATA_MIGRATION, "a DataMigration cannot skip its stages; each one is loaded and verified")),
  PAUSE("pause",
      Map.of(Kind.RELEASE, "pause"),
      Map.of(Kind.DATA_MIGRATION, "a DataMigration has no pause action; it pauses by itself on a failure "
          + "with onFailure: Pause, and at Manual stages")),
  RESUME("resume",
      Map.of(Kind.RELEASE, "resume", Kind.DATA_MIGRATION, "resume"),
      Map.of()),
  ABORT("abort",
      Map.of(Kind.RELEASE, "abort", Kind.DATA_MIGRATION, "abort"),
      Map.of()),
  RETRY("retry",
      // a DataMigration retries its current stage: the operator undoes it, then loads it again
      Map.of(Kind.RELEASE, "retry", Kind.DATA_MIGRATION, "retry-stage"),
      Map.of()),
  APPROVE("approve",
      Map.of(Kind.DATA_MIGRATION, "approve"),
      Map.of(Kind.RELEASE, "a Release's approval gate is passed with `kubectl stagegate promote`"));

  static final String ANNOTATION = "stagegate.dev/action";

  final String command;
  private final Map<Kind, String> words;
  private final Map<Kind, String> refusals;

  Action(String command, Map<Kind, String> words, Map<Kind, String> refusals) {
    this.command = command;
    this.words = words;
    this.refusals = refusals;
  }

  /** The annotation value for this kind, or empty when the action does not apply to it. */
  Optional<String> word(Kind kind) {
    return Optional.ofNullable(words.get(kind));
  }

  String refusal(Kind kind) {
    return refusals.getOrDefault(kind, command + " does not apply to a " + kind.kind);
  }
}
