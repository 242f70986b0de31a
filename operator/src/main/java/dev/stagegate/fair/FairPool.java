package dev.stagegate.fair;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed set of threads serving a {@link FairQueue}: tenants take turns, and with two threads or more one
 * tenant never holds all of them, so another namespace's work starts as soon as it arrives.
 */
public final class FairPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FairPool.class);
  private final FairQueue<Runnable> queue;
  private final List<Thread> threads = new ArrayList<>();
  private boolean closed;

  /** {@code threads} threads; each tenant runs at most {@code threads - 1} tasks at once (1 with a single thread). */
  public FairPool(String name, int threads) {
    this.queue = new FairQueue<>(Math.max(1, threads - 1));
    for (int i = 1; i <= threads; i++) {
      Thread t = new Thread(this::serve, name + "-" + i);
      t.setDaemon(true);
      this.threads.add(t);
      t.start();
    }
  }

  public synchronized void execute(String tenant, Runnable task) {
    if (closed) {
      throw new RejectedExecutionException("closed");
    }
    queue.offer(tenant, task);
    notifyAll();
  }

  private void serve() {
    while (true) {
      FairQueue.Taken<Runnable> taken;
      synchronized (this) {
        Optional<FairQueue.Taken<Runnable>> next = Optional.empty();
        while (!closed && (next = queue.take()).isEmpty()) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (closed) {
          next.ifPresent(t -> queue.done(t.tenant()));
          return;
        }
        taken = next.get();
      }
      try {
        taken.task().run();
      } catch (RuntimeException | Error e) {
        LOG.warn("background task of {} failed: {}", taken.tenant(), e.toString());
      } finally {
        synchronized (this) {
          queue.done(taken.tenant());
          notifyAll();
        }
      }
    }
  }

  /** Stops taking work and interrupts what runs. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    threads.forEach(Thread::interrupt);
  }

  public void awaitTermination(long millis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    for (Thread t : threads) {
      t.join(Math.max(1, deadline - System.currentTimeMillis()));
    }
  }
}
