package dev.stagegate.templates;

import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.DataMigrationSpec;
import dev.stagegate.api.migration.VerifyCheck;
import dev.stagegate.api.templates.CheckTemplateRef;
import dev.stagegate.api.templates.RecordedVerifyCheck;
import dev.stagegate.common.Copies;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A DataMigration as its planner sees it: spec.verify with every template check resolved, as recorded for the
 * current stage or as the template says today. Only an in-memory view; what is written back keeps the templateRefs
 * as the user wrote them.
 *
 * @param migration the view (the original when no verify check uses a template)
 * @param fresh today's resolution of each template entry, for the planner to record when a stage starts
 * @param invalid refusals naming their field
 */
public record TemplatedMigration(DataMigration migration, List<Entry> fresh, List<String> invalid) {

  /**
   * One {@code spec.verify[index]} with a templateRef, as its template says today.
   *
   * @param check the resolved verify check (templateRef and args kept), or null when missing or refused
   * @param missing why the template cannot be read yet, or null
   * @param errors refusals naming the field, empty when resolved
   */
  public record Entry(int index, String name, CheckTemplateRef ref, Map<String, String> args, VerifyCheck check,
      String missing, List<String> errors) {

    boolean sameAs(RecordedVerifyCheck r) {
      return r.getTemplate() != null && r.getCheck() != null && Objects.equals(name, r.getCheck().getName())
          && ref.kindOrDefault() == r.getTemplate().kindOrDefault() && Objects.equals(ref.getName(), r.getTemplate().getName())
          && Objects.equals(orEmpty(args), orEmpty(r.getArgs()));
    }

    private static Map<String, String> orEmpty(Map<String, String> m) {
      return m == null ? Map.of() : m;
    }
  }

  private static final TemplatedEntries.Shape<VerifyCheck> SHAPE =
      new TemplatedEntries.Shape<>(VerifyCheck.class, VerifyCheck::getTemplateRef, VerifyCheck::getName,
          VerifyCheck::setName);

  public static TemplatedMigration plain(DataMigration migration) {
    return new TemplatedMigration(migration, List.of(), List.of());
  }

  public static TemplatedMigration of(DataMigration migration, TemplateLookup lookup) {
    DataMigrationSpec spec = migration.getSpec();
    if (spec == null || spec.verifyOrEmpty().stream().noneMatch(v -> v.getTemplateRef() != null)) {
      return plain(migration);
    }
    List<VerifyCheck> verify = spec.verifyOrEmpty();
    FreshChecks resolved = TemplateResolver.resolve(VerifyBody.asReferences(verify), "spec.verify",
        migration.getMetadata().getNamespace(), lookup);
    List<Entry> fresh = new ArrayList<>();
    for (FreshChecks.Entry e : resolved.entries()) {
      List<String> errors = new ArrayList<>(e.errors());
      VerifyCheck body = e.check() == null ? null : VerifyBody.of("spec.verify[" + e.index() + "]", e.check(), errors);
      fresh.add(new Entry(e.index(), e.name(), e.ref(), e.args(), body, e.missing(), List.copyOf(errors)));
    }
    List<String> invalid = new ArrayList<>();
    List<VerifyCheck> checks = TemplatedEntries.effective(verify, SHAPE, i -> {
      Entry now = entryAt(fresh, i);
      RecordedVerifyCheck recorded = MigrationTemplateRecords.recorded(migration.getStatus(), now);
      return new TemplatedEntries.Resolution<>(now.name(),
          recorded == null ? null : MigrationTemplateRecords.asCheck(recorded), now.check(), now.errors());
    }, invalid);
    invalid.addAll(TemplatedEntries.collisions("spec.verify", verify, checks, SHAPE));
    DataMigration view = new DataMigration();
    view.setMetadata(migration.getMetadata());
    DataMigrationSpec viewSpec = Copies.deep(spec, DataMigrationSpec.class);
    viewSpec.setVerify(checks);
    view.setSpec(viewSpec);
    view.setStatus(migration.getStatus());
    return new TemplatedMigration(view, List.copyOf(fresh), List.copyOf(invalid));
  }

  /** Why a stage cannot be verified yet: every template that is not there, or empty when all are. */
  public Optional<String> missing() {
    String all = fresh.stream().map(Entry::missing).filter(Objects::nonNull).collect(Collectors.joining("; "));
    return all.isEmpty() ? Optional.empty() : Optional.of(all);
  }

  private static Entry entryAt(List<Entry> fresh, int index) {
    return fresh.stream().filter(e -> e.index() == index).findFirst()
        .orElseThrow(() -> new IllegalStateException("no resolution for spec.verify[" + index + "]"));
  }
}
