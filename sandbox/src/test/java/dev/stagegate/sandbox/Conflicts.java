package dev.stagegate.sandbox;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/**
 * Test edits race the fakes' status writes, and an edit carries the resourceVersion it read; like any client,
 * the test reads again and retries on 409.
 */
final class Conflicts {
  private Conflicts() {}

  static <T> T retry(Supplier<T> edit) {
    for (int attempt = 1; ; attempt++) {
      try {
        return edit.get();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 10) {
          throw e;
        }
      }
    }
  }
}
