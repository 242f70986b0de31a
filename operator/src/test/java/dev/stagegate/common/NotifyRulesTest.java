package dev.stagegate.common;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stagegate.api.common.NotifyTarget;
import dev.stagegate.api.common.NotifyType;
import dev.stagegate.api.common.SecretKeyRef;
import dev.stagegate.api.common.UrlSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NotifyRulesTest {
  private static List<String> errors(NotifyTarget... targets) {
    List<String> errors = new ArrayList<>();
    NotifyRules.check(List.of(targets), errors);
    return errors;
  }

  @Test
  @DisplayName("given valid targets, then there is nothing to say")
  void validTargets() {
    assertThat(errors(new NotifyTarget("hook", NotifyType.webhook, new SecretKeyRef("hooks", "url")),
        new NotifyTarget("chat", NotifyType.slack, new SecretKeyRef("hooks", "slack")))).isEmpty();
  }

  @Test
  @DisplayName("given a duplicate name, a missing type, a missing key and no urlFrom, then each error names its field")
  void errorsNameTheField() {
    NotifyTarget noType = new NotifyTarget("b", null, new SecretKeyRef("hooks", null));
    NotifyTarget noUrl = new NotifyTarget("c", NotifyType.slack, null);
    noUrl.setUrlFrom(new UrlSource());
    assertThat(errors(new NotifyTarget("a", NotifyType.webhook, new SecretKeyRef("hooks", "url")),
        new NotifyTarget("a", NotifyType.webhook, new SecretKeyRef("hooks", "url")), noType, noUrl))
        .containsExactly("spec.notify[1].name: 'a' is used twice",
            "spec.notify[2].type: is required (webhook, slack or alertmanager)",
            "spec.notify[2].urlFrom.secretKeyRef.key: is required",
            "spec.notify[3].urlFrom.secretKeyRef: is required");
  }
}
