package dev.stagegate.analysis;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Operator-wide bounds on Prometheus traffic: at most {@code concurrency} queries in flight at once, and no
 * query (waiting for a free slot included) longer than {@code timeout}; a check's own shorter timeout wins.
 * One namespace holds at most {@code perNamespace} of the slots (a quarter by default), so a tenant with many
 * slow checks waits for its own slots while other namespaces' checks still find free ones.
 */
public final class PrometheusLimits {
  public static final int DEFAULT_CONCURRENCY = 16;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final Semaphore slots;
  private final int concurrency;
  private final Duration timeout;
  private final NamespaceSlots perNamespace;

  public PrometheusLimits(int concurrency, Duration timeout) {
    this(concurrency, timeout, defaultPerNamespace(concurrency));
  }

  /** A quarter of the slots, at least one. */
  public static int defaultPerNamespace(int concurrency) {
    return Math.max(1, concurrency / 4);
  }

  public PrometheusLimits(int concurrency, Duration timeout, int perNamespace) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("prometheus concurrency must be 1 or more, got " + concurrency);
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("prometheus timeout must be a positive duration, got " + timeout);
    }
    this.concurrency = concurrency;
    this.timeout = timeout;
    if (perNamespace < 1) {
      throw new IllegalArgumentException("prometheus concurrency per namespace must be 1 or more, got " + perNamespace);
    }
    this.slots = new Semaphore(concurrency, true);
    this.perNamespace = new NamespaceSlots(Math.min(perNamespace, concurrency));
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

  public int perNamespace() {
    return perNamespace.cap();
  }

  /**
   * Takes one of {@code namespace}'s slots, then an operator-wide one, both within {@code wait}; false when
   * either did not free up in time. A null namespace (an operator-level query) takes only the operator-wide one.
   */
  boolean acquire(String namespace, Duration wait) throws InterruptedException {
    if (namespace == null) {
      return acquire(wait);
    }
    long deadline = System.nanoTime() + wait.toNanos();
    if (!perNamespace.acquire(namespace, wait)) {
      return false;
    }
    boolean global = false;
    try {
      global = acquire(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      return global;
    } finally {
      if (!global) {
        perNamespace.release(namespace);
      }
    }
  }

  void release(String namespace) {
    release();
    if (namespace != null) {
      perNamespace.release(namespace);
    }
  }

  /** Whose slots are full: the message then says it is this namespace's share, not the operator's. */
  boolean namespaceFull(String namespace) {
    return namespace != null && perNamespace.held(namespace) >= perNamespace.cap();
  }
}
