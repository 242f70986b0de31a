package dev.stagegate.demo;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls until a condition holds: the demo waits on the API server the way a person watching it would. */
final class Waits {
  private static final Duration POLL = Duration.ofMillis(200);

  private Waits() {}

  /** The first value that satisfies the condition; the last value seen when the timeout passes. */
  static <T> T until(Supplier<T> read, Predicate<T> condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    while (true) {
      try {
        last = read.get();
        if (last != null && condition.test(last)) {
          return last;
        }
      } catch (RuntimeException transientError) {
        // the API server restarting a watch, a conflict: look again
      }
      if (System.nanoTime() > deadline) {
        return last;
      }
      Thread.sleep(POLL.toMillis());
    }
  }
}
