package dev.stagegate.templates;

import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.ReleaseStatus;
import dev.stagegate.api.templates.RecordedCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks a turn works with: inline checks as written, template checks as recorded for the running canary, or
 * as their templates say today when nothing is recorded (no canary yet, a new entry, changed arguments).
 *
 * @param checks spec.checks in order; an entry whose template is missing stays unresolved (templateRef, no body)
 * @param invalid refusals naming the field: the fresh entries' own, and check names given twice
 */
public record EffectiveChecks(List<Check> checks, List<String> invalid) {

  private static final TemplatedEntries.Shape<Check> SHAPE =
      new TemplatedEntries.Shape<>(Check.class, Check::getTemplateRef, Check::getName, Check::setName);

  public static EffectiveChecks of(List<Check> spec, FreshChecks fresh, ReleaseStatus status) {
    List<String> invalid = new ArrayList<>();
    if (spec == null) {
      return new EffectiveChecks(new ArrayList<>(), invalid);
    }
    List<Check> checks = TemplatedEntries.effective(spec, SHAPE, i -> {
      FreshChecks.Entry now = entryAt(fresh, i);
      RecordedCheck recorded = TemplateRecords.recorded(status, now);
      return new TemplatedEntries.Resolution<>(now.name(), recorded == null ? null : TemplateRecords.asCheck(recorded),
          now.check(), now.errors());
    }, invalid);
    invalid.addAll(TemplatedEntries.collisions("spec.checks", spec, checks, SHAPE));
    return new EffectiveChecks(checks, invalid);
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
