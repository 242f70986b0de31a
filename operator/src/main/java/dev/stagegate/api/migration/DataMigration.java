package dev.stagegate.api.migration;

import dev.stagegate.api.common.ApiGroup;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Records copied from a source to a target database in stages of the partition key, each loaded by the
 * user's Job, verified by comparing both databases, and undone in reverse order on failure.
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Kind("DataMigration")
@Plural("datamigrations")
@ShortNames("dmig")
@Categories("stagegate")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Stage", jsonPath = ".status.currentStage", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Migrated", jsonPath = ".status.rowsMigrated", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Rows", jsonPath = ".status.rowsTotal", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Message", jsonPath = ".status.message", type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class DataMigration extends CustomResource<DataMigrationSpec, DataMigrationStatus> implements Namespaced {
}
