package dev.stagegate.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Events leave the reconcile thread: the reconcile hands the write over and goes on; writes of one resource
 * still happen in the order recorded, none is dropped, and the number waiting is bounded. The executor here
 * runs a task only when the test says so, so every ordering below is exact.
 */
class OrderedWritesTest {
  /** Tasks run when the test calls {@link #runNext}, as a background thread would later. */
  private static final class StepExecutor implements Executor {
    final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      while (!tasks.isEmpty()) {
        tasks.poll().run();
      }
    }
  }

  @Test
  @DisplayName("given writes handed over, then the caller returns before any is written, and later they are written in order per resource")
  void handedOverThenWrittenInOrder() {
    StepExecutor background = new StepExecutor();
    OrderedWrites writes = new OrderedWrites(background, 100);
    List<String> written = Collections.synchronizedList(new ArrayList<>());

    for (int i = 1; i <= 3; i++) {
      int n = i;
      writes.submit("Release/shop/checkout", () -> written.add("checkout-" + n));
      writes.submit("Release/shop/cart", () -> written.add("cart-" + n));
    }

    assertThat(written).isEmpty();
    assertThat(writes.pending()).isEqualTo(6);
    background.runAll();
    assertThat(written.stream().filter(w -> w.startsWith("checkout")).toList())
        .containsExactly("checkout-1", "checkout-2", "checkout-3");
    assertThat(written.stream().filter(w -> w.startsWith("cart")).toList()).containsExactly("cart-1", "cart-2", "cart-3");
    assertThat(writes.pending()).isZero();
  }

  @Test
  @DisplayName("given a slow write for one resource, then its next write waits for it while another resource's write goes ahead")
  void oneResourceAtATimeOthersInParallel() throws Exception {
    OrderedWrites writes = OrderedWrites.background("test-writer", 2, 100);
    CountDownLatch slowStarted = new CountDownLatch(1);
    CountDownLatch releaseSlow = new CountDownLatch(1);
    CountDownLatch otherWritten = new CountDownLatch(1);
    List<String> written = Collections.synchronizedList(new ArrayList<>());
    try {
      writes.submit("a", () -> {
        slowStarted.countDown();
        await(releaseSlow);
        written.add("a-1");
      });
      writes.submit("a", () -> written.add("a-2"));
      assertThat(slowStarted.await(30, TimeUnit.SECONDS)).isTrue();
      writes.submit("b", () -> {
        written.add("b-1");
        otherWritten.countDown();
      });

      assertThat(otherWritten.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(written).containsExactly("b-1");
      releaseSlow.countDown();
      assertThat(writes.flush(30_000)).isTrue();
      assertThat(written).containsExactly("b-1", "a-1", "a-2");
    } finally {
      releaseSlow.countDown();
      writes.close();
    }
  }

  @Test
  @DisplayName("given the queue is full, then the caller waits for room instead of dropping the write")
  void fullQueueMakesTheCallerWait() throws Exception {
    StepExecutor background = new StepExecutor();
    OrderedWrites writes = new OrderedWrites(background, 2);
    List<String> written = Collections.synchronizedList(new ArrayList<>());
    writes.submit("a", () -> written.add("1"));
    writes.submit("a", () -> written.add("2"));
    CountDownLatch thirdHandedOver = new CountDownLatch(1);
    Thread caller = new Thread(() -> {
      writes.submit("a", () -> written.add("3"));
      thirdHandedOver.countDown();
    });

    caller.start();
    while (caller.getState() != Thread.State.WAITING) {
      Thread.onSpinWait(); // blocked on the full queue, not yet handed over
    }
    assertThat(thirdHandedOver.getCount()).isEqualTo(1);
    background.tasks.poll().run(); // one drain: writes 1 and 2, making room, then 3 once it is in
    assertThat(thirdHandedOver.await(30, TimeUnit.SECONDS)).isTrue();
    caller.join();
    background.runAll();

    assertThat(written).containsExactly("1", "2", "3");
    assertThat(writes.pending()).isZero();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
