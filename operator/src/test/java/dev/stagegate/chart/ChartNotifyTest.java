package dev.stagegate.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The chart's notification values: the default targets' Secret is mounted, never read through the API. */
class ChartNotifyTest {
  @Test
  @DisplayName("given notify.defaultSecret and notify.dashboardUrl, then the Secret's targets.yaml is mounted read-only and both reach the operator's environment")
  void defaultTargetsAreMounted() {
    HelmChart.Rendered r = HelmChart.template(List.of("notify.defaultSecret=stagegate-notify",
        "notify.dashboardUrl=https://grafana.example/d/stagegate"));
    assertThat(r.env()).containsEntry("STAGEGATE_DEFAULT_NOTIFY", "/var/run/secrets/stagegate/notify/targets.yaml")
        .containsEntry("STAGEGATE_DASHBOARD_URL", "https://grafana.example/d/stagegate");
    JsonNode pod = r.one("Deployment").path("spec").path("template").path("spec");
    JsonNode volume = pod.path("volumes").findParents("secretName").stream()
        .filter(v -> v.path("secretName").asText().equals("stagegate-notify")).findFirst().orElseThrow();
    assertThat(volume.path("items").get(0).path("key").asText()).isEqualTo("targets.yaml");
    assertThat(pod.path("containers").get(0).path("volumeMounts").findValuesAsText("mountPath"))
        .contains("/var/run/secrets/stagegate/notify");
  }

  @Test
  @DisplayName("given no notify values, then nothing about notifications is rendered, and the RBAC does not change (Secrets stay get-only)")
  void offByDefault() {
    HelmChart.Rendered r = HelmChart.template(List.of());
    assertThat(r.env()).doesNotContainKeys("STAGEGATE_DEFAULT_NOTIFY", "STAGEGATE_DASHBOARD_URL");
    assertThat(HelmChart.template(List.of("notify.defaultSecret=stagegate-notify")).objects())
        .filteredOn(o -> o.path("kind").asText().endsWith("Role"))
        .isEqualTo(r.objects().stream().filter(o -> o.path("kind").asText().endsWith("Role")).toList());
  }

  @Test
  @DisplayName("given a dashboard URL that is not http(s) or a Secret name that is not a DNS label, then install fails naming the value")
  void badValuesAreRefused() {
    for (String[] bad : new String[][] {{"notify.dashboardUrl=grafana/d/x", "/notify/dashboardUrl"},
        {"notify.defaultSecret=Notify_Targets", "/notify/defaultSecret"}}) {
      HelmChart.Run run = HelmChart.templateRun(List.of(bad[0]));
      assertThat(run.exitCode()).as(bad[0]).isNotZero();
      assertThat(run.stderr()).contains(bad[1]);
    }
  }
}
