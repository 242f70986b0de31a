package dev.stagegate.analysis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Answers identical Prometheus queries once per evaluation-time bucket. A cluster-wide query (an SLO, a shared
 * dependency's error rate) used by a thousand Releases would otherwise be sent a thousand times per check interval.
 *
 * <p>The key is origin + auth identity + kind + query + time bucket, so two resources with different credentials
 * never share an answer, even for the same URL and query (the second token might not be allowed to read it).
 * A query pinned to an instant is keyed by that exact instant; an unpinned ("now") query by the bucket its
 * asking time falls in. Concurrent askers of the same key wait for the one request in flight. Answers that are
 * not evidence (failures) are dropped once delivered, so the next asker tries again. Size is bounded: the
 * oldest entries go first, which are also the ones whose bucket has passed.
 */
public final class SharedQueries {
  /** One entry per distinct question. {@code identity} is a digest, never the credential itself. */
  record Key(String origin, String identity, String kind, String query, long bucket) {
  }

  private final Clock clock;
  private final long bucketMillis;
  private final int maxEntries;
  private final Map<Key, CompletableFuture<Object>> entries;
  private final AtomicLong asked = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();

  /**
   * @param bucket how long an unpinned query's answer is shared; keep it well below Prometheus' scrape interval
   * @param maxEntries how many distinct answers are kept at most
   */
  public SharedQueries(Clock clock, Duration bucket, int maxEntries) {
    if (bucket.isNegative() || bucket.isZero()) {
      throw new IllegalArgumentException("query sharing bucket must be positive, got " + bucket);
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("query sharing needs room for at least one entry, got " + maxEntries);
    }
    this.clock = clock;
    this.bucketMillis = bucket.toMillis();
    this.maxEntries = maxEntries;
    this.entries = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, CompletableFuture<Object>> eldest) {
        return size() > SharedQueries.this.maxEntries;
      }
    };
  }

  /**
   * The answer to a question, fetched at most once per key while it is kept.
   *
   * @param time the pinned evaluation time, or null for "now"
   * @param evidence which answers may be shared with later askers (failures are not)
   */
  @SuppressWarnings("unchecked")
  <T> T answer(String origin, String identity, String kind, String query, Instant time, Supplier<T> fetch,
      Predicate<T> evidence) {
    asked.incrementAndGet();
    long bucket = time != null ? time.toEpochMilli() : Math.floorDiv(clock.millis(), bucketMillis);
    // Pinned and unpinned questions must not meet: a pinned instant could equal some bucket number.
    Key key = new Key(origin, identity, (time != null ? "at:" : "now:") + kind, query, bucket);
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> existing;
    synchronized (entries) {
      existing = entries.putIfAbsent(key, mine);
    }
    if (existing != null) {
      try {
        return (T) existing.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fetch.get();
      } catch (ExecutionException e) {
        // The sharer's fetch threw; ask for ourselves rather than fail on its behalf.
        return fetch.get();
      }
    }
    sent.incrementAndGet();
    T result;
    try {
      result = fetch.get();
    } catch (RuntimeException | Error e) {
      forget(key, mine);
      mine.completeExceptionally(e);
      throw e;
    }
    if (!evidence.test(result)) {
      forget(key, mine);
    }
    mine.complete(result);
    return result;
  }

  private void forget(Key key, CompletableFuture<Object> entry) {
    synchronized (entries) {
      entries.remove(key, entry);
    }
  }

  /** Questions asked by resources, shared or not. */
  public long asked() {
    return asked.get();
  }

  /** Questions that went to Prometheus. */
  public long sent() {
    return sent.get();
  }

  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
