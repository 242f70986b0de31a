package dev.stagegate.link;

import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.MigrationGate;
import dev.stagegate.api.release.Release;
import dev.stagegate.api.release.ReleaseGate;
import dev.stagegate.kube.LeanItemStore;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The other kind of a link, watched: each reconciler gets an informer on the other kind whose events wake the
 * primaries linked to the changed resource (named in its gates, or naming it in theirs), so one side's progress
 * or failure reaches the other at once; and the reconciler reads the other side from this informer's cache.
 *
 * @param <O> the other kind
 * @param <P> the reconciler's own kind
 */
public final class LinkInformer<O extends HasMetadata, P extends HasMetadata> {
  private final BiFunction<P, List<O>, List<LinkView>> views;
  private volatile InformerEventSource<O, P> source;

  private LinkInformer(BiFunction<P, List<O>, List<LinkView>> views) {
    this.views = views;
  }

  /** For the Release reconciler: DataMigrations. */
  public static LinkInformer<DataMigration, Release> migrations() {
    return new LinkInformer<>(LinkViews::forRelease);
  }

  /** For the DataMigration reconciler: Releases. */
  public static LinkInformer<Release, DataMigration> releases() {
    return new LinkInformer<>(LinkViews::forMigration);
  }

  public InformerEventSource<O, P> eventSource(Class<O> other, EventSourceContext<P> context) {
    InformerEventSourceConfiguration<O> config = InformerEventSourceConfiguration.from(other, context.getPrimaryResourceClass())
        .withName("linked-" + other.getSimpleName().toLowerCase())
        .withSecondaryToPrimaryMapper(changed -> linkedPrimaries(changed, context))
        .withItemStore(LeanItemStore.forSource(context))
        .build();
    this.source = new InformerEventSource<>(config, context);
    return this.source;
  }

  /** The linked resources of {@code primary}, as its namespace's cache holds them; none before the informer runs. */
  public List<LinkView> viewsOf(P primary) {
    InformerEventSource<O, P> informer = this.source;
    List<O> sameNamespace = informer == null ? List.of()
        : informer.list(primary.getMetadata().getNamespace(), o -> true).toList();
    return views.apply(primary, sameNamespace);
  }

  private Set<ResourceID> linkedPrimaries(O changed, EventSourceContext<P> context) {
    String namespace = changed.getMetadata().getNamespace();
    String name = changed.getMetadata().getName();
    Set<ResourceID> ids = new HashSet<>();
    // The changed resource's own gates name primaries...
    if (changed instanceof DataMigration m && m.getSpec() != null) {
      m.getSpec().gatesOrEmpty().stream().map(MigrationGate::getRelease).filter(n -> n != null && !n.isBlank())
          .forEach(n -> ids.add(new ResourceID(n, namespace)));
    } else if (changed instanceof Release r && r.getSpec() != null) {
      r.getSpec().gatesOrEmpty().stream().map(ReleaseGate::getDataMigration).filter(n -> n != null && !n.isBlank())
          .forEach(n -> ids.add(new ResourceID(n, namespace)));
    }
    // ...and primaries' gates may name it.
    context.getPrimaryCache().list(namespace, p -> names(p, name)).forEach(p -> ids.add(ResourceID.fromResource(p)));
    return ids;
  }

  private static boolean names(HasMetadata primary, String other) {
    if (primary instanceof Release r && r.getSpec() != null) {
      return r.getSpec().gatesOrEmpty().stream().map(ReleaseGate::getDataMigration).anyMatch(other::equals);
    }
    if (primary instanceof DataMigration m && m.getSpec() != null) {
      return m.getSpec().gatesOrEmpty().stream().map(MigrationGate::getRelease).anyMatch(other::equals);
    }
    return false;
  }
}
