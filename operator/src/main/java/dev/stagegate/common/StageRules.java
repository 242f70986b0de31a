package dev.stagegate.common;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The rules every staged resource shares: at least one stage, unique DNS-label names, a share
 * (weight or percent) from 1 to 100 (0 where the caller allows it) that strictly increases and ends at 100.
 * Messages name the field.
 */
public final class StageRules {
  private StageRules() {}

  /**
   * @param shareField "weight" or "percent"
   * @param namePattern the regex a name must match, described by {@code nameRule}
   */
  public static <S> void check(List<S> stages, Function<S, String> name, Function<S, Integer> share, String shareField,
      String namePattern, String nameRule, List<String> errors) {
    check(stages, name, share, shareField, namePattern, nameRule, s -> false, null, errors);
  }

  /**
   * As above, but a stage for which {@code mayBeZero} holds may have share 0; any other stage at 0 gets
   * {@code zeroRule} as its message (a routed Release's header-only stage).
   */
  public static <S> void check(List<S> stages, Function<S, String> name, Function<S, Integer> share, String shareField,
      String namePattern, String nameRule, Predicate<S> mayBeZero, String zeroRule, List<String> errors) {
    if (stages == null || stages.isEmpty()) {
      errors.add("spec.stages: at least one stage is required");
      return;
    }
    Set<String> names = new HashSet<>();
    int previous = -1;
    for (int i = 0; i < stages.size(); i++) {
      S stage = stages.get(i);
      String field = "spec.stages[" + i + "]";
      String stageName = name.apply(stage);
      if (stageName == null || !stageName.matches(namePattern)) {
        errors.add(field + ".name: must be " + nameRule + ", got '" + stageName + "'");
      } else if (!names.add(stageName)) {
        errors.add(field + ".name: '" + stageName + "' is used by an earlier stage");
      }
      Integer value = share.apply(stage);
      if (value != null && value == 0 && zeroRule != null && !mayBeZero.test(stage)) {
        errors.add(field + "." + shareField + ": " + zeroRule);
      } else if (value == null || value < (mayBeZero.test(stage) ? 0 : 1) || value > 100) {
        errors.add(field + "." + shareField + ": must be between " + (mayBeZero.test(stage) ? 0 : 1)
            + " and 100, got " + value);
      } else {
        if (value <= previous) {
          errors.add(field + "." + shareField + ": must be greater than the previous stage's " + shareField + " "
              + previous + ", got " + value);
        }
        previous = value;
      }
    }
    Integer last = share.apply(stages.get(stages.size() - 1));
    if (last == null || last != 100) {
      errors.add("spec.stages[" + (stages.size() - 1) + "]." + shareField + ": the last stage must have "
          + shareField + " 100, got " + last);
    }
  }
}
