package dev.stagegate.api.templates;

import dev.stagegate.api.common.ApiGroup;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A check body with parameters that Releases in the same namespace reference by name. A change applies to the next canary, not a running one: a Release records the checks it resolved
 * when its canary starts.
 */
@Group(ApiGroup.GROUP)
@Version(ApiGroup.VERSION)
@Kind("CheckTemplate")
@Plural("checktemplates")
@ShortNames("ctpl")
@Categories("stagegate")
public class CheckTemplate extends CustomResource<CheckTemplateSpec, Void> implements Namespaced {
}
