package dev.stagegate.api.templates;

import dev.stagegate.api.common.ApiGroup;

import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A check body with parameters that Releases in every namespace reference by name. A change applies to the next canary, not a running one: a Release records the checks it resolved
 * when its canary starts.
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Kind("ClusterCheckTemplate")
@Plural("clusterchecktemplates")
@ShortNames("cctpl")
@Categories("stagegate")
public class ClusterCheckTemplate extends CustomResource<CheckTemplateSpec, Void> {
}
