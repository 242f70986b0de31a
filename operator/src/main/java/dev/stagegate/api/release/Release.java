package dev.stagegate.api.release;

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

/** A workload rolled out in stages, each gated on Prometheus evidence, rolled back by itself on failure. */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Kind("Release")
@Plural("releases")
@ShortNames("rel")
@Categories("stagegate")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Stage", jsonPath = ".status.currentStage.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Weight", jsonPath = ".status.actualWeight", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Stable", jsonPath = ".status.stableRevision", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Canary", jsonPath = ".status.canaryRevision", type = AdditionalPrinterColumn.Type.STRING)
// -o wide: why it is held (WaitingForGate, AwaitingApproval, CheckFailed, NoEvidence, Manual, Spec).
@AdditionalPrinterColumn(name = "Held", jsonPath = ".status.pauseReason", type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class Release extends CustomResource<ReleaseSpec, ReleaseStatus> implements Namespaced {
}
