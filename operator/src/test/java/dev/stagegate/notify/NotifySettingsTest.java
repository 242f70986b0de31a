package dev.stagegate.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stagegate.api.common.NotifyTransition;
import dev.stagegate.api.common.NotifyType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NotifySettingsTest {
  @Test
  @DisplayName("given a YAML list of default targets, then each is read with its type and transitions, and its status name cannot clash with spec.notify")
  void readsDefaults() {
    var targets = NotifySettings.parse("""
        - name: platform
          type: slack
          url: https://hooks.slack.example/T000/B000/secret-token
          on: [RolledBack, Failed]
        - name: audit
          type: webhook
          url: http://audit.example:8080/in
        """, "defaults.yaml");
    assertThat(targets).hasSize(2);
    assertThat(targets.get(0).type()).isEqualTo(NotifyType.slack);
    assertThat(targets.get(0).wants(NotifyTransition.Failed)).isTrue();
    assertThat(targets.get(0).wants(NotifyTransition.StageStarted)).isFalse();
    assertThat(targets.get(1).wants(NotifyTransition.StageStarted)).isTrue();
    assertThat(targets.get(0).statusName()).isEqualTo("operator/platform");
    assertThat(targets.get(0).toString()).doesNotContain("secret-token");
  }

  @Test
  @DisplayName("given a bad entry, then the error names the entry and field, and never the URL")
  void badEntriesNameTheField() {
    assertThatThrownBy(() -> NotifySettings.parse("- {name: a, type: teams, url: https://x.example/secret-token}", "f"))
        .hasMessage("f[0].type: expected webhook, slack or alertmanager");
    assertThatThrownBy(() -> NotifySettings.parse("- {name: a, type: slack, url: ftp://x.example/secret-token}", "f"))
        .hasMessage("f[0].url: expected an http(s) URL");
    assertThatThrownBy(() -> NotifySettings.parse("- {name: a, type: slack}", "f")).hasMessage("f[0].url: required");
    assertThatThrownBy(() -> NotifySettings.parse("name: a", "f")).hasMessageContaining("expected a list");
  }
}
