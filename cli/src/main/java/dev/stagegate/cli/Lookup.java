package dev.stagegate.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Finds Releases and DataMigrations, and resolves the NAME (or KIND/NAME) a user typed to one of them. */
final class Lookup {
  private final KubernetesClient client;

  Lookup(KubernetesClient client) {
    this.client = client;
  }

  /** One object, found by the name a user typed: `checkout`, `release/checkout` or `dm/members-2025`. */
  record Found(Kind kind, GenericKubernetesResource resource) {
    Rollout rollout() {
      return Rollout.of(kind, resource);
    }
  }

  Found find(String namespace, String typed) {
    int slash = typed.indexOf('/');
    if (slash >= 0) {
      String kindText = typed.substring(0, slash);
      String name = typed.substring(slash + 1);
      Kind kind = Kind.named(kindText).orElseThrow(() -> new Failure(Exit.USAGE,
          "unknown kind `" + kindText + "` in " + typed + ": use release/NAME or datamigration/NAME (rel/, dm/)"));
      return get(kind, namespace, name).map(r -> new Found(kind, r)).orElseThrow(() -> new Failure(Exit.NOT_FOUND,
          kind.kind + " " + name + " not found in namespace " + namespace));
    }
    List<Found> found = new ArrayList<>();
    for (Kind kind : Kind.values()) {
      get(kind, namespace, typed).ifPresent(r -> found.add(new Found(kind, r)));
    }
    if (found.isEmpty()) {
      throw new Failure(Exit.NOT_FOUND, "no Release or DataMigration named " + typed + " in namespace " + namespace);
    }
    if (found.size() > 1) {
      throw new Failure(Exit.USAGE, "both a Release and a DataMigration are named " + typed + " in namespace "
          + namespace + ": say release/" + typed + " or datamigration/" + typed);
    }
    return found.get(0);
  }

  Optional<GenericKubernetesResource> get(Kind kind, String namespace, String name) {
    return Optional.ofNullable(client.genericKubernetesResources(kind.context).inNamespace(namespace).withName(name).get());
  }

  /** Every object of the kind, in one namespace or (namespace null) in all, by namespace then name. */
  List<Rollout> list(Kind kind, String namespace) {
    var resources = namespace == null
        ? client.genericKubernetesResources(kind.context).inAnyNamespace().list().getItems()
        : client.genericKubernetesResources(kind.context).inNamespace(namespace).list().getItems();
    return resources.stream().map(r -> Rollout.of(kind, r))
        .sorted(Comparator.comparing(Rollout::namespace).thenComparing(Rollout::name)).toList();
  }
}
