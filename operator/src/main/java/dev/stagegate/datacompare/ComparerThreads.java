package dev.stagegate.datacompare;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/** The daemon pools a comparison runs its second side (or its parts) on, and how their results are awaited. */
final class ComparerThreads {

  private ComparerThreads() {}

  static ExecutorService newPool(int threads, String name) {
    AtomicInteger n = new AtomicInteger();
    return Executors.newFixedThreadPool(threads, r -> {
      Thread thread = new Thread(r, name + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  static <T> T await(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new DataCompareException("comparison interrupted");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new DataCompareException("comparison failed: " + e.getCause(), e.getCause());
    }
  }

  static void closeQuietly(Future<OpenSide> opening) {
    try {
      opening.get().close();
    } catch (Exception ignored) {
      // the other side's failure is the one to report
    }
  }
}
