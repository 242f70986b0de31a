package dev.stagegate.templates;

import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.templates.CheckTemplateRef;
import dev.stagegate.api.templates.TemplateKind;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import java.util.Objects;
import java.util.stream.Stream;

/** The template informers of the Release controller: a Release references templates from spec.checks. */
public final class CheckTemplateSources extends TemplateInformers<Release> {

  public CheckTemplateSources(EventSourceContext<Release> context) {
    super(context, Release.class, CheckTemplateSources::refs);
  }

  static Stream<CheckTemplateRef> refs(Release release) {
    if (release.getSpec() == null || release.getSpec().getChecks() == null) {
      return Stream.empty();
    }
    return release.getSpec().getChecks().stream().map(Check::getTemplateRef).filter(Objects::nonNull);
  }

  static boolean references(Release release, TemplateKind kind, String name) {
    return refs(release).anyMatch(r -> r.kindOrDefault() == kind && name.equals(r.getName()));
  }
}
