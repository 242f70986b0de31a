package dev.stagegate.kube;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes handed over by reconcile threads and done by a few background threads, so that a reconcile does not
 * wait for an API round trip that decides nothing (an Event). Writes for one key (one resource) run one at a
 * time in the order they were handed over; different keys run in parallel. At most {@code capacity} writes
 * wait at once: beyond that the caller waits for room, so nothing is dropped and memory stays bounded.
 */
public final class OrderedWrites implements AutoCloseable {
  /** Writes waiting at most before callers wait for room. */
  public static final int DEFAULT_CAPACITY = 10_000;
  /** Background threads: enough to keep up with Events at 1,000s of resources over a slow API server. */
  public static final int DEFAULT_THREADS = 4;
  private static final Logger LOG = LoggerFactory.getLogger(OrderedWrites.class);

  private final Executor executor;
  private final ExecutorService owned;
  private final Semaphore room;
  private final int capacity;
  /** A key is present while a drain of it is scheduled or running; guarded by itself. */
  private final Map<String, ArrayDeque<Runnable>> waiting = new HashMap<>();

  OrderedWrites(Executor executor, int capacity) {
    this.executor = executor;
    this.owned = null;
    this.capacity = capacity;
    this.room = new Semaphore(capacity);
  }

  private OrderedWrites(ExecutorService owned, int capacity) {
    this.executor = owned;
    this.owned = owned;
    this.capacity = capacity;
    this.room = new Semaphore(capacity);
  }

  /** Daemon threads of its own, named {@code name-N}. */
  public static OrderedWrites background(String name, int threads, int capacity) {
    AtomicInteger n = new AtomicInteger();
    return new OrderedWrites(Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }), capacity);
  }

  /** Queues {@code write} behind earlier writes of {@code key}; waits only while {@code capacity} writes wait. */
  public void submit(String key, Runnable write) {
    room.acquireUninterruptibly();
    boolean first;
    synchronized (waiting) {
      ArrayDeque<Runnable> queue = waiting.get(key);
      first = queue == null;
      if (first) {
        queue = new ArrayDeque<>();
        waiting.put(key, queue);
      }
      queue.add(write);
    }
    if (first) {
      try {
        executor.execute(() -> drain(key));
      } catch (RejectedExecutionException closed) {
        // Closed: its instance has stopped, and what it hands over now is not written, as if the process were gone.
        int dropped;
        synchronized (waiting) {
          ArrayDeque<Runnable> queue = waiting.remove(key);
          dropped = queue == null ? 0 : queue.size();
        }
        room.release(dropped);
        LOG.warn("writer closed: {} write(s) for {} not done", dropped, key);
      }
    }
  }

  private void drain(String key) {
    while (true) {
      Runnable next;
      synchronized (waiting) {
        ArrayDeque<Runnable> queue = waiting.get(key);
        next = queue.poll();
        if (next == null) {
          waiting.remove(key);
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        LOG.warn("background write for {} failed: {}", key, e.toString());
      } finally {
        room.release();
      }
    }
  }

  /** Writes handed over and not yet done. */
  public int pending() {
    return capacity - room.availablePermits();
  }

  /** Waits until every write handed over so far is done, or {@code millis} passed; true when all are done. */
  public boolean flush(long millis) throws InterruptedException {
    if (!room.tryAcquire(capacity, millis, TimeUnit.MILLISECONDS)) {
      return false;
    }
    room.release(capacity);
    return true;
  }

  /** Finishes what waits (up to 5 s), then stops the threads. */
  @Override
  public void close() {
    try {
      flush(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (owned != null) {
      owned.shutdown();
    }
  }
}
