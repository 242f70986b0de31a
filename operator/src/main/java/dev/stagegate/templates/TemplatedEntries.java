package dev.stagegate.templates;

import dev.stagegate.api.templates.CheckTemplateRef;
import dev.stagegate.common.Copies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * What both resources do with a list of checks some of which name a template (Release spec.checks, DataMigration
 * spec.verify): each template entry as recorded, else as its template says today, else unresolved; and the
 * refusal when two entries end up with one name.
 */
final class TemplatedEntries {

  private TemplatedEntries() {}

  /** How one resource's check entries are read and named. */
  record Shape<C>(Class<C> type, Function<C, CheckTemplateRef> templateRef, Function<C, String> name,
      BiConsumer<C, String> rename) {

    /** A copy of {@code entry} named {@code newName}: its template is missing or refused, so it has no body. */
    C unresolved(C entry, String newName) {
      C copy = Copies.deep(entry, type);
      rename.accept(copy, newName);
      return copy;
    }
  }

  /**
   * One template entry as this turn sees it.
   *
   * @param recorded the check recorded for the running canary or stage, or null
   * @param fresh the check as its template says today, or null when missing or refused
   * @param errors the refusals of today's resolution, naming the field
   */
  record Resolution<C>(String name, C recorded, C fresh, List<String> errors) {}

  /** {@code spec} in order with every template entry resolved; refusals of unresolved entries go to {@code invalid}. */
  static <C> List<C> effective(List<C> spec, Shape<C> shape, IntFunction<Resolution<C>> resolutionAt,
      List<String> invalid) {
    List<C> checks = new ArrayList<>();
    for (int i = 0; i < spec.size(); i++) {
      C entry = spec.get(i);
      if (shape.templateRef().apply(entry) == null) {
        checks.add(entry);
        continue;
      }
      Resolution<C> now = resolutionAt.apply(i);
      if (now.recorded() != null) {
        checks.add(now.recorded());
      } else if (now.fresh() != null) {
        checks.add(now.fresh());
      } else {
        invalid.addAll(now.errors());
        checks.add(shape.unresolved(entry, now.name()));
      }
    }
    return checks;
  }

  /**
   * Two entries ending up with one name would share one status and one evidence: refused, naming both and the
   * template one came from (Argo Rollouts' #1851 lets them through). Two inline checks with one name are the
   * validator's to report, with its usual message.
   */
  static <C> List<String> collisions(String field, List<C> spec, List<C> checks, Shape<C> shape) {
    List<String> errors = new ArrayList<>();
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < checks.size(); i++) {
      String name = shape.name().apply(checks.get(i));
      if (name == null) {
        continue;
      }
      Integer earlier = first.putIfAbsent(name, i);
      if (earlier != null && (shape.templateRef().apply(spec.get(i)) != null || shape.templateRef().apply(spec.get(earlier)) != null)) {
        CheckTemplateRef from = shape.templateRef().apply(spec.get(earlier));
        errors.add(field + "[" + i + "].name: check name '" + name + "' is also the name of " + field + "[" + earlier
            + "]" + (from == null ? "" : " (from " + from.describe() + ")") + "; give one of them its own name");
      }
    }
    return errors;
  }
}
