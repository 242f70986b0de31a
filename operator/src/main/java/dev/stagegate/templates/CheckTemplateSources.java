package dev.stagegate.templates;

import dev.stagegate.api.release.Check;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.templates.CheckTemplate;
import dev.stagegate.api.templates.CheckTemplateSpec;
import dev.stagegate.api.templates.ClusterCheckTemplate;
import dev.stagegate.api.templates.TemplateKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Informers on CheckTemplates and ClusterCheckTemplates. A template that changes or arrives wakes the Releases
 * that reference it (one held for a missing template starts its canary), and lookups read the informer's cache,
 * never the API server.
 */
public final class CheckTemplateSources implements TemplateLookup {
  private final InformerEventSource<CheckTemplate, Release> namespaced;
  private final InformerEventSource<ClusterCheckTemplate, Release> cluster;

  public CheckTemplateSources(EventSourceContext<Release> context) {
    this.namespaced = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(CheckTemplate.class, Release.class)
            .withName("checktemplates")
            .withSecondaryToPrimaryMapper(t -> referencing(context, t, TemplateKind.CheckTemplate,
                t.getMetadata().getNamespace()))
            .build(), context);
    // Cluster-scoped: watched cluster-wide even when the operator watches only some namespaces.
    this.cluster = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(ClusterCheckTemplate.class, Release.class)
            .withName("clusterchecktemplates")
            .withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(t -> referencing(context, t, TemplateKind.ClusterCheckTemplate, null))
            .build(), context);
  }

  public List<InformerEventSource<?, Release>> sources() {
    return List.of(namespaced, cluster);
  }

  @Override
  public Optional<CheckTemplateSpec> find(TemplateKind kind, String namespace, String name) {
    return kind == TemplateKind.ClusterCheckTemplate
        ? cluster.get(new ResourceID(name)).map(ClusterCheckTemplate::getSpec)
        : namespaced.get(new ResourceID(name, namespace)).map(CheckTemplate::getSpec);
  }

  private static Set<ResourceID> referencing(EventSourceContext<Release> context, HasMetadata template,
      TemplateKind kind, String namespace) {
    String name = template.getMetadata().getName();
    var releases = namespace == null ? context.getPrimaryCache().list() : context.getPrimaryCache().list(namespace);
    return releases.filter(r -> references(r, kind, name)).map(ResourceID::fromResource).collect(Collectors.toSet());
  }

  static boolean references(Release release, TemplateKind kind, String name) {
    if (release.getSpec() == null || release.getSpec().getChecks() == null) {
      return false;
    }
    for (Check check : release.getSpec().getChecks()) {
      if (check.getTemplateRef() != null && check.getTemplateRef().kindOrDefault() == kind
          && name.equals(check.getTemplateRef().getName())) {
        return true;
      }
    }
    return false;
  }
}
