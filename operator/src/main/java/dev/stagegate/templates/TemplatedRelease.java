package dev.stagegate.templates;

import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleaseSpec;
import dev.stagegate.common.Copies;
import java.util.List;

/**
 * A Release as the planner sees it: spec.checks with every template check resolved (recorded or fresh). Only an
 * in-memory view; the Release itself, and what is written back, keep the templateRefs as the user wrote them.
 *
 * @param release the view (the original when no check uses a template)
 * @param fresh today's resolution, for the planner to record when a canary starts
 * @param invalid refusals naming their field
 */
public record TemplatedRelease(Release release, FreshChecks fresh, List<String> invalid) {

  public static TemplatedRelease of(Release release, TemplateLookup lookup) {
    ReleaseSpec spec = release.getSpec();
    if (spec == null || spec.getChecks() == null || spec.getChecks().stream().noneMatch(c -> c.getTemplateRef() != null)) {
      return new TemplatedRelease(release, FreshChecks.NONE, List.of());
    }
    FreshChecks fresh = TemplateResolver.resolve(spec.getChecks(), release.getMetadata().getNamespace(), lookup);
    EffectiveChecks effective = EffectiveChecks.of(spec.getChecks(), fresh, release.getStatus());
    Release view = new Release();
    view.setMetadata(release.getMetadata());
    ReleaseSpec viewSpec = Copies.deep(spec, ReleaseSpec.class);
    viewSpec.setChecks(effective.checks());
    view.setSpec(viewSpec);
    view.setStatus(release.getStatus());
    return new TemplatedRelease(view, fresh, effective.invalid());
  }

  /** The check as the Release uses it this turn, or null. */
  public Check check(String name) {
    return release.getSpec().getChecks().stream().filter(c -> name.equals(c.getName())).findFirst().orElse(null);
  }
}
