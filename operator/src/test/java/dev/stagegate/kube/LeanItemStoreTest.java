package dev.stagegate.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LeanItemStoreTest {

  @Test
  @DisplayName("given a Deployment with two field managers' entries, when a dropping store caches it, then it is kept without managedFields, and written back it carries none (the server keeps its own record)")
  void dropsManagedFields() {
    LeanItemStore<Deployment> store = LeanItemStore.dropping();

    store.put("shop/web", deployment("kubectl", "stagegate-workloadref"));

    Deployment cached = store.get("shop/web");
    assertThat(cached.getMetadata().getManagedFields()).isEmpty();
    assertThat(cached.getSpec().getReplicas()).isEqualTo(3);
    assertThat(cached.getMetadata().getLabels()).containsEntry("app", "web");
    assertThat(Serialization.asJson(cached)).doesNotContain("managedFields");
  }

  @Test
  @DisplayName("given a store keeping one field manager, when it caches a Deployment two managers wrote, then only that manager's entry stays, with its fields")
  void keepsOneManager() {
    LeanItemStore<Deployment> store = LeanItemStore.keeping("stagegate-workloadref");

    store.put("shop/web", deployment("kubectl", "stagegate-workloadref"));

    assertThat(store.get("shop/web").getMetadata().getManagedFields())
        .singleElement()
        .satisfies(e -> {
          assertThat(e.getManager()).isEqualTo("stagegate-workloadref");
          assertThat(e.getFieldsV1().getAdditionalProperties()).containsKey("f:spec");
        });
  }

  @Test
  @DisplayName("given all namespaces or one, then one informer runs and the store fits; given two namespaces, it does not")
  void fitsOnlyOneInformer() {
    assertThat(LeanItemStore.fitsOneInformer(Set.of("JOSDK_ALL_NAMESPACES"))).isTrue();
    assertThat(LeanItemStore.fitsOneInformer(Set.of("apps"))).isTrue();
    assertThat(LeanItemStore.fitsOneInformer(Set.of("apps", "data"))).isFalse();
  }

  private static Deployment deployment(String... managers) {
    ManagedFieldsEntry[] entries = new ManagedFieldsEntry[managers.length];
    for (int i = 0; i < managers.length; i++) {
      FieldsV1 fields = new FieldsV1();
      fields.setAdditionalProperty("f:spec", Map.of("f:replicas", Map.of()));
      entries[i] = new ManagedFieldsEntryBuilder().withManager(managers[i]).withOperation("Apply")
          .withFieldsType("FieldsV1").withFieldsV1(fields).build();
    }
    return new DeploymentBuilder()
        .withNewMetadata().withName("web").withNamespace("shop").addToLabels("app", "web")
        .withManagedFields(entries).endMetadata()
        .withNewSpec().withReplicas(3).endSpec()
        .build();
  }
}
