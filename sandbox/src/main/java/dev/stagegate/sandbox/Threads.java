package dev.stagegate.sandbox;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** Thread plumbing shared by the fakes: daemon threads, so a test that forgets close() cannot hang the JVM. */
final class Threads {
  private Threads() {}

  static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Interrupts running work and waits briefly, so a closed fake writes nothing afterwards. */
  static void stop(ExecutorService executor) {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
