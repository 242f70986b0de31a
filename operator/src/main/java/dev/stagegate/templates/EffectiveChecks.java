package dev.stagegate.templates;

import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.api.templates.RecordedCheck;
import dev.stagegate.common.Copies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks a turn works with: inline checks as written, template checks as recorded for the running canary, or
 * as their templates say today when nothing is recorded (no canary yet, a new entry, changed arguments).
 *
 * @param checks spec.checks in order; an entry whose template is missing stays unresolved (templateRef, no body)
 * @param invalid refusals naming the field: the fresh entries' own, and check names given twice
 */
public record EffectiveChecks(List<Check> checks, List<String> invalid) {

  public static EffectiveChecks of(List<Check> spec, FreshChecks fresh, ReleaseStatus status) {
    List<Check> checks = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    if (spec == null) {
      return new EffectiveChecks(checks, invalid);
    }
    for (int i = 0; i < spec.size(); i++) {
      Check entry = spec.get(i);
      if (entry.getTemplateRef() == null) {
        checks.add(entry);
        continue;
      }
      FreshChecks.Entry now = entryAt(fresh, i);
      RecordedCheck recorded = TemplateRecords.recorded(status, now);
      if (recorded != null) {
        checks.add(TemplateRecords.asCheck(recorded));
      } else if (now.check() != null) {
        checks.add(now.check());
      } else {
        invalid.addAll(now.errors());
        Check unresolved = Copies.deep(entry, Check.class);
        unresolved.setName(now.name());
        checks.add(unresolved);
      }
    }
    invalid.addAll(collisions(spec, checks));
    return new EffectiveChecks(checks, invalid);
  }

  /** Two entries ending up with one name would share one status and one evidence: refused, like Argo's #1851 is not. */
  private static List<String> collisions(List<Check> spec, List<Check> checks) {
    List<String> errors = new ArrayList<>();
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < checks.size(); i++) {
      String name = checks.get(i).getName();
      if (name == null) {
        continue;
      }
      Integer earlier = first.putIfAbsent(name, i);
      // Two inline checks with one name are the validator's to report, with its usual message.
      if (earlier != null && (spec.get(i).getTemplateRef() != null || spec.get(earlier).getTemplateRef() != null)) {
        errors.add("spec.checks[" + i + "].name: check name '" + name + "' is also the name of spec.checks[" + earlier
            + "]" + origin(spec.get(earlier)) + "; give one of them its own name");
      }
    }
    return errors;
  }

  private static String origin(Check entry) {
    return entry.getTemplateRef() == null ? "" : " (from " + entry.getTemplateRef().describe() + ")";
  }

  private static FreshChecks.Entry entryAt(FreshChecks fresh, int index) {
    for (FreshChecks.Entry e : fresh.entries()) {
      if (e.index() == index) {
        return e;
      }
    }
    throw new IllegalStateException("no resolution for spec.checks[" + index + "]");
  }
}
