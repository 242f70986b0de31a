package dev.stagegate.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.retry.GenericRetryExecution;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReconcileRetryTest {

  @Test
  @DisplayName("given a reconcile that keeps failing, then it is retried without end, from 2 s doubling to at most every 2 minutes")
  void retriesForeverWithACappedBackoff() {
    GenericRetryExecution retry = ReconcileRetry.forever().initExecution();
    List<Long> delays = new ArrayList<>();
    for (int attempt = 0; attempt < 200; attempt++) {
      delays.add(retry.nextDelay().orElseThrow(() -> new AssertionError("retries stopped")));
    }

    // JOSDK waits the initial interval twice before it starts multiplying.
    assertThat(delays.subList(0, 8)).containsExactly(2_000L, 2_000L, 4_000L, 8_000L, 16_000L, 32_000L, 64_000L, 120_000L);
    assertThat(delays.subList(8, 200)).containsOnly(120_000L);
    assertThat(retry.isLastAttempt()).isFalse();
  }
}
