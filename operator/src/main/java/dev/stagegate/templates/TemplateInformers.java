package dev.stagegate.templates;

import dev.stagegate.api.templates.CheckTemplate;
import dev.stagegate.api.templates.CheckTemplateRef;
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
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Informers on CheckTemplates and ClusterCheckTemplates for one kind of resource that references them (Releases,
 * DataMigrations). A template that changes or arrives wakes the resources that reference it (one held for a missing
 * template continues), and lookups read the informer's cache, never the API server.
 */
public class TemplateInformers<P extends HasMetadata> implements TemplateLookup {
  private final InformerEventSource<CheckTemplate, P> namespaced;
  private final InformerEventSource<ClusterCheckTemplate, P> cluster;

  /** @param refs the template references a resource holds */
  protected TemplateInformers(EventSourceContext<P> context, Class<P> primary, Function<P, Stream<CheckTemplateRef>> refs) {
    this.namespaced = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(CheckTemplate.class, primary)
            .withName("checktemplates")
            .withSecondaryToPrimaryMapper(t -> referencing(context, refs, t, TemplateKind.CheckTemplate,
                t.getMetadata().getNamespace()))
            .build(), context);
    // Cluster-scoped: watched cluster-wide even when the operator watches only some namespaces.
    this.cluster = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(ClusterCheckTemplate.class, primary)
            .withName("clusterchecktemplates")
            .withWatchAllNamespaces()
            .withSecondaryToPrimaryMapper(t -> referencing(context, refs, t, TemplateKind.ClusterCheckTemplate, null))
            .build(), context);
  }

  public List<InformerEventSource<?, P>> sources() {
    return List.of(namespaced, cluster);
  }

  @Override
  public Optional<CheckTemplateSpec> find(TemplateKind kind, String namespace, String name) {
    return kind == TemplateKind.ClusterCheckTemplate
        ? cluster.get(new ResourceID(name)).map(ClusterCheckTemplate::getSpec)
        : namespaced.get(new ResourceID(name, namespace)).map(CheckTemplate::getSpec);
  }

  private static <P extends HasMetadata> java.util.Set<ResourceID> referencing(EventSourceContext<P> context,
      Function<P, Stream<CheckTemplateRef>> refs, HasMetadata template, TemplateKind kind, String namespace) {
    String name = template.getMetadata().getName();
    Stream<P> resources = namespace == null ? context.getPrimaryCache().list() : context.getPrimaryCache().list(namespace);
    return resources.filter(r -> refs.apply(r).anyMatch(ref -> ref.kindOrDefault() == kind && name.equals(ref.getName())))
        .map(ResourceID::fromResource).collect(Collectors.toSet());
  }
}
