package dev.stagegate.templates;

import dev.stagegate.api.templates.CheckTemplateSpec;
import dev.stagegate.api.templates.TemplateKind;
import java.util.Optional;

/** Finds a template's spec: a CheckTemplate in the Release's namespace, or a ClusterCheckTemplate. */
@FunctionalInterface
public interface TemplateLookup {
  Optional<CheckTemplateSpec> find(TemplateKind kind, String namespace, String name);
}
