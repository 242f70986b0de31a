package dev.stagegate.analysis;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * At most {@code cap} holders per namespace at once. Waiters wait with a deadline; a namespace's entry exists
 * only while one of its slots is held, so the map does not grow with namespaces seen once.
 */
public final class NamespaceSlots {
  private final int cap;
  private final Map<String, Integer> held = new HashMap<>();

  public NamespaceSlots(int cap) {
    if (cap < 1) {
      throw new IllegalArgumentException("slots per namespace must be 1 or more, got " + cap);
    }
    this.cap = cap;
  }

  public int cap() {
    return cap;
  }

  /** Takes a slot of {@code namespace} within {@code wait}; false when none freed up in time. */
  public synchronized boolean acquire(String namespace, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (held.getOrDefault(namespace, 0) >= cap) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000), 0);
    }
    held.merge(namespace, 1, Integer::sum);
    return true;
  }

  public synchronized void release(String namespace) {
    Integer now = held.get(namespace);
    if (now == null) {
      return;
    }
    if (now <= 1) {
      held.remove(namespace);
    } else {
      held.put(namespace, now - 1);
    }
    notifyAll();
  }

  public synchronized int held(String namespace) {
    return held.getOrDefault(namespace, 0);
  }
}
