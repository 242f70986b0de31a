package dev.stagegate.analysis;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Operator-wide bounds on Prometheus traffic: at most {@code concurrency} queries in flight at once, and no
 * query (waiting for a free slot included) longer than {@code timeout}; a check's own shorter timeout wins.
 */
public final class PrometheusLimits {
  public static final int DEFAULT_CONCURRENCY = 16;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final Semaphore slots;
  private final int concurrency;
  private final Duration timeout;

  public PrometheusLimits(int concurrency, Duration timeout) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("prometheus concurrency must be 1 or more, got " + concurrency);
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("prometheus timeout must be a positive duration, got " + timeout);
    }
    this.concurrency = concurrency;
    this.timeout = timeout;
    this.slots = new Semaphore(concurrency, true);
  }

  public static PrometheusLimits defaults() {
    return new PrometheusLimits(DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT);
  }

  public int concurrency() {
    return concurrency;
  }

  public Duration timeout() {
    return timeout;
  }

  /** The smaller of a check's timeout and the operator's cap. */
  Duration capped(Duration requested) {
    return requested == null || requested.compareTo(timeout) > 0 ? timeout : requested;
  }

  /** Takes a slot within {@code wait}; false when none freed up in time. */
  boolean acquire(Duration wait) throws InterruptedException {
    return slots.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
  }

  void release() {
    slots.release();
  }
}
