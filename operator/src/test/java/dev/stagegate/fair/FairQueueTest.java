package dev.stagegate.fair;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Tenants take turns and none runs more than its cap; every step here is a plain call, no threads. */
class FairQueueTest {
  @Test
  @DisplayName("given one tenant queued many tasks before another queued one, then the other's task is taken second, not last")
  void latecomerIsServedNextTurn() {
    FairQueue<String> queue = new FairQueue<>(5);
    for (int i = 1; i <= 5; i++) {
      queue.offer("noisy", "noisy-" + i);
    }
    queue.offer("quiet", "quiet-1");

    List<String> order = new ArrayList<>();
    queue.take().ifPresent(t -> order.add(t.task()));
    queue.take().ifPresent(t -> order.add(t.task()));

    assertThat(order).containsExactly("noisy-1", "quiet-1");
  }

  @Test
  @DisplayName("given a tenant at its cap of running tasks, then its waiting work is skipped until one finishes, and others' work is taken")
  void capHoldsBackTheBusyTenant() {
    FairQueue<String> queue = new FairQueue<>(1);
    queue.offer("noisy", "noisy-1");
    queue.offer("noisy", "noisy-2");

    assertThat(queue.take().orElseThrow().task()).isEqualTo("noisy-1");
    assertThat(queue.take()).as("noisy at its cap, nothing else waits").isEmpty();
    queue.offer("quiet", "quiet-1");
    assertThat(queue.take().orElseThrow().task()).isEqualTo("quiet-1");

    queue.done("noisy");
    assertThat(queue.take().orElseThrow().task()).isEqualTo("noisy-2");
    assertThat(queue.waiting()).isZero();
  }

  @Test
  @DisplayName("given three tenants with queued work, then takes go round them in turn")
  void roundRobin() {
    FairQueue<String> queue = new FairQueue<>(10);
    for (String tenant : List.of("a", "b", "c")) {
      for (int i = 1; i <= 2; i++) {
        queue.offer(tenant, tenant + i);
      }
    }
    List<String> order = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      order.add(queue.take().orElseThrow().task());
    }

    assertThat(order).containsExactly("a1", "b1", "c1", "a2", "b2", "c2");
  }
}
