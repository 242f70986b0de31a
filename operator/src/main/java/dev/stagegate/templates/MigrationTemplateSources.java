package dev.stagegate.templates;

import dev.stagegate.api.migration.DataMigration;
import dev.stagegate.api.migration.VerifyCheck;
import dev.stagegate.api.templates.CheckTemplateRef;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import java.util.Objects;
import java.util.stream.Stream;

/** The template informers of the DataMigration controller: a DataMigration references templates from spec.verify. */
public final class MigrationTemplateSources extends TemplateInformers<DataMigration> {

  public MigrationTemplateSources(EventSourceContext<DataMigration> context) {
    super(context, DataMigration.class, MigrationTemplateSources::refs);
  }

  static Stream<CheckTemplateRef> refs(DataMigration migration) {
    if (migration.getSpec() == null) {
      return Stream.empty();
    }
    return migration.getSpec().verifyOrEmpty().stream().map(VerifyCheck::getTemplateRef).filter(Objects::nonNull);
  }
}
