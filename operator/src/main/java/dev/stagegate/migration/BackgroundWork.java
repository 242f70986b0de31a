package dev.stagegate.migration;

import dev.stagegate.fair.FairPool;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Database work (guards, boundaries, comparisons) off the reconcile thread: a comparison of millions of
 * rows takes minutes and must not hold one of JOSDK's few reconcile threads. A reconcile asks for a
 * result by key; the first ask starts the work, later asks get nothing until it is done, and completion
 * wakes the owner's reconcile. Results live in memory only: a restarted operator asks again, which is
 * safe because all of this work only reads. Owners' tenants (their namespaces) take turns on the threads, and
 * one tenant never holds all of them ({@link FairPool}), so a namespace with many long comparisons does not
 * hold up another namespace's guard.
 */
final class BackgroundWork<O> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BackgroundWork.class);

  private final FairPool pool;
  private final Function<O, String> tenant;
  private final Map<O, Map<String, CompletableFuture<Object>>> byOwner = new ConcurrentHashMap<>();
  private volatile Consumer<O> wake = o -> { };

  BackgroundWork(int threads) {
    this(threads, o -> "");
  }

  /** {@code tenant} names whose turn an owner's work takes (its namespace). */
  BackgroundWork(int threads, Function<O, String> tenant) {
    this.pool = new FairPool("migration-work", threads);
    this.tenant = tenant;
  }

  /** Called with the owner when one of its results is ready. */
  void onDone(Consumer<O> wake) {
    this.wake = wake;
  }

  /**
   * The result of {@code key} if it is done; otherwise starts it (once) and returns empty.
   *
   * @param onError turns an unexpected exception into a result (it must never be a pass)
   */
  @SuppressWarnings("unchecked")
  <T> Optional<T> poll(O owner, String key, Supplier<T> task, Function<Throwable, T> onError) {
    Map<String, CompletableFuture<Object>> work = byOwner.computeIfAbsent(owner, o -> new ConcurrentHashMap<>());
    CompletableFuture<Object> future = work.computeIfAbsent(key, k -> start(owner, k, task, onError));
    if (!future.isDone()) {
      return Optional.empty();
    }
    return Optional.ofNullable((T) future.join());
  }

  /** Forgets the owner's finished results that are no longer asked for; running work finishes on its own. */
  void retain(O owner, Set<String> keys) {
    Map<String, CompletableFuture<Object>> work = byOwner.get(owner);
    if (work != null) {
      work.entrySet().removeIf(e -> !keys.contains(e.getKey()) && e.getValue().isDone());
      if (work.isEmpty()) {
        byOwner.remove(owner, work);
      }
    }
  }

  void forget(O owner) {
    byOwner.remove(owner);
  }

  boolean running(O owner) {
    Map<String, CompletableFuture<Object>> work = byOwner.get(owner);
    return work != null && work.values().stream().anyMatch(f -> !f.isDone());
  }

  private CompletableFuture<Object> start(O owner, String key, Supplier<?> task, Function<Throwable, ?> onError) {
    CompletableFuture<Object> future = new CompletableFuture<>();
    try {
      pool.execute(tenant.apply(owner), () -> {
        Object result;
        try {
          result = task.get();
        } catch (RuntimeException | Error e) {
          LOG.warn("migration work {} for {} failed: {}", key, owner, e.toString());
          result = onError.apply(e);
        }
        future.complete(result);
        wake.accept(owner);
      });
    } catch (RejectedExecutionException e) {
      future.complete(onError.apply(e));
    }
    return future;
  }

  @Override
  public void close() {
    pool.close();
    try {
      pool.awaitTermination(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
