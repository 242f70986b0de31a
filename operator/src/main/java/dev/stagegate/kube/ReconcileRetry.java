package dev.stagegate.kube;

import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;

/**
 * How a reconcile that throws is retried: without end, backing off from 2 s to at most every 2 minutes. JOSDK's
 * default gives up after 5 attempts (about half a minute), after which a broken Release would sit silent until
 * the next edit, and the reconcile-errors alert would never see it "keep failing".
 */
public final class ReconcileRetry {
  public static final Duration FIRST = Duration.ofSeconds(2);
  public static final Duration MAX = Duration.ofMinutes(2);

  private ReconcileRetry() {}

  public static GenericRetry forever() {
    return new GenericRetry().withoutMaxAttempts().setInitialInterval(FIRST).setIntervalMultiplier(2)
        .setMaxInterval(MAX.toMillis());
  }
}
