package dev.stagegate.templates;

import dev.stagegate.api.migration.PrometheusBound;
import dev.stagegate.api.migration.VerifyCheck;
import dev.stagegate.api.release.Check;
import dev.stagegate.api.templates.CheckTemplateRef;
import dev.stagegate.common.Copies;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a resolved template check into a DataMigration verify check. Only a prometheus check held against min or
 * max fits: a migration has no canary and no stable revision, so compare, sequential and sequentialLatency checks
 * (and the revision placeholders) have nothing to judge; those are refused naming the field.
 */
final class VerifyBody {
  /** Placeholders only a Release fills; left in a migration's query, they would reach Prometheus as written. */
  private static final Set<String> RELEASE_ONLY = Set.of("revision", "stableRevision", "canaryRevision");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*}}");

  private VerifyBody() {}

  /** The verify check, named and still carrying its reference; or the refusals in {@code errors}. */
  static VerifyCheck of(String field, Check resolved, List<String> errors) {
    CheckTemplateRef ref = resolved.getTemplateRef();
    String what = field + ".templateRef: " + ref.describe();
    String kind = resolved.getSequential() != null ? "a sequential check"
        : resolved.getSequentialLatency() != null ? "a sequentialLatency check"
        : resolved.getCompare() != null ? "a check compared with the stable revision" : null;
    if (kind != null) {
      errors.add(what + " is " + kind + ", which needs a canary and a stable revision; a DataMigration's verify"
          + " takes templates whose check is prometheus with min or max");
      return null;
    }
    if (resolved.getPrometheus() == null || (resolved.getMin() == null && resolved.getMax() == null)) {
      errors.add(what + " has no prometheus query with min or max, which a DataMigration's verify needs");
      return null;
    }
    Set<String> releaseOnly = new TreeSet<>();
    Matcher m = PLACEHOLDER.matcher(resolved.getPrometheus().getQuery());
    while (m.find()) {
      if (RELEASE_ONLY.contains(m.group(1))) {
        releaseOnly.add("{{" + m.group(1) + "}}");
      }
    }
    if (!releaseOnly.isEmpty()) {
      errors.add(what + " uses " + String.join(", ", releaseOnly) + ", which only a Release fills; a DataMigration"
          + " fills {{name}}, {{namespace}} and {{stage}}");
      return null;
    }
    VerifyCheck check = new VerifyCheck(resolved.getName());
    check.setInterval(resolved.getInterval());
    check.setFailureLimit(resolved.getFailureLimit());
    PrometheusBound bound = new PrometheusBound(resolved.getPrometheus().getQuery(), resolved.getMin(), resolved.getMax());
    bound.setTimeout(resolved.getPrometheus().getTimeout());
    check.setPrometheus(bound);
    check.setTemplateRef(Copies.deep(ref, CheckTemplateRef.class));
    check.setArgs(resolved.getArgs());
    return check;
  }

  /** The entry as the resolver sees it: a Release check with only the name, reference and arguments. */
  static Check asReference(VerifyCheck entry) {
    Check check = new Check();
    check.setName(entry.getName());
    check.setTemplateRef(entry.getTemplateRef());
    check.setArgs(entry.getArgs());
    return check;
  }

  static List<Check> asReferences(List<VerifyCheck> verify) {
    List<Check> out = new ArrayList<>();
    verify.forEach(v -> out.add(asReference(v)));
    return out;
  }
}
