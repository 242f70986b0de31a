package dev.stagegate.cli;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The two Stagegate kinds as the plugin sees them: where they live in the API, which names a user may
 * type for them, which phases end a rollout, and which actions each one understands.
 */
enum Kind {
  RELEASE("Release", "releases", List.of("release", "releases", "rel"),
      Set.of("Promoted"), Set.of("RolledBack", "Failed")),
  DATA_MIGRATION("DataMigration", "datamigrations", List.of("datamigration", "datamigrations", "dm"),
      Set.of("Succeeded"), Set.of("RolledBack", "Failed"));

  static final String GROUP = "stagegate.dev";
  static final String VERSION = "v1alpha1";

  final String kind;
  final ResourceDefinitionContext context;
  private final List<String> aliases;
  private final Set<String> succeeded;
  private final Set<String> failed;

  Kind(String kind, String plural, List<String> aliases, Set<String> succeeded, Set<String> failed) {
    this.kind = kind;
    this.context = new ResourceDefinitionContext.Builder()
        .withGroup(GROUP).withVersion(VERSION).withKind(kind).withPlural(plural).withNamespaced(true).build();
    this.aliases = aliases;
    this.succeeded = succeeded;
    this.failed = failed;
  }

  /** The kind a user typed (`release`, `rel`, `dm`, `datamigrations`, `Release.stagegate.dev`...), if any. */
  static Optional<Kind> named(String text) {
    String wanted = text.toLowerCase(Locale.ROOT).replaceFirst("\\.stagegate\\.dev$", "");
    for (Kind k : values()) {
      if (k.aliases.contains(wanted)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  boolean succeeded(String phase) {
    return succeeded.contains(phase);
  }

  boolean failed(String phase) {
    return failed.contains(phase);
  }

  /** How `kubectl` would name one object of this kind: `release.stagegate.dev/checkout`. */
  String qualified(String name) {
    return kind.toLowerCase(Locale.ROOT) + "." + GROUP + "/" + name;
  }
}
