package dev.stagegate.release.plan;

import dev.stagegate.common.ActionWord;

/** What a person asks for with the annotation `stagegate.dev/action`, without editing the spec. */
public enum UserAction implements ActionWord {
  PROMOTE("promote"),
  PROMOTE_FULL("promote-full"),
  PAUSE("pause"),
  RESUME("resume"),
  ABORT("abort"),
  RETRY("retry");

  private final String word;

  UserAction(String word) {
    this.word = word;
  }

  @Override
  public String word() {
    return word;
  }
}
