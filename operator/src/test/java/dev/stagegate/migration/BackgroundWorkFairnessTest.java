package dev.stagegate.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Database work of all DataMigrations shares two threads. Before, they were one first-come queue: a namespace
 * that started many long comparisons held both threads and another namespace's guard waited for all of them.
 * Now namespaces take turns and one never holds every thread. Latches, not clocks: the noisy work hangs
 * until the test lets it go.
 */
class BackgroundWorkFairnessTest {
  private record Owner(String namespace, String name) {
  }

  @Test
  @DisplayName("given a namespace with more hanging database work than there are threads, when another namespace asks for a guard, then the guard runs while the others still hang")
  void otherNamespaceIsNotStarved() throws Exception {
    BackgroundWork<Owner> work = new BackgroundWork<>(2, Owner::namespace);
    CountDownLatch letGo = new CountDownLatch(1);
    CountDownLatch quietDone = new CountDownLatch(1);
    work.onDone(o -> {
      if (o.namespace().equals("quiet")) {
        quietDone.countDown();
      }
    });
    try {
      for (int i = 0; i < 5; i++) {
        work.poll(new Owner("noisy", "m" + i), "compare", () -> {
          await(letGo);
          return "compared";
        }, e -> "failed");
      }

      work.poll(new Owner("quiet", "m"), "guard", () -> "guard passed", e -> "failed");

      assertThat(quietDone.await(60, TimeUnit.SECONDS)).as("the quiet namespace's guard ran").isTrue();
      assertThat(work.poll(new Owner("quiet", "m"), "guard", () -> "again", e -> "failed"))
          .contains("guard passed");
      for (int i = 0; i < 5; i++) {
        assertThat(work.running(new Owner("noisy", "m" + i))).isTrue();
      }
    } finally {
      letGo.countDown();
      work.close();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
