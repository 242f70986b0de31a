package dev.stagegate.fair;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Work waiting per tenant (a namespace), taken in turn: each take serves the next tenant in line that is under
 * its cap of running tasks, so one tenant's long queue delays another tenant's task by at most one turn, and
 * no tenant ever runs more than {@code capPerTenant} at once. Not thread-safe: {@link FairPool} guards it.
 */
public final class FairQueue<T> {
  private final int capPerTenant;
  /** Tenants with waiting work, in turn order; each with its tasks in arrival order. */
  private final LinkedHashMap<String, ArrayDeque<T>> waiting = new LinkedHashMap<>();
  private final Map<String, Integer> running = new HashMap<>();

  public FairQueue(int capPerTenant) {
    if (capPerTenant < 1) {
      throw new IllegalArgumentException("tasks per tenant must be 1 or more, got " + capPerTenant);
    }
    this.capPerTenant = capPerTenant;
  }

  public void offer(String tenant, T task) {
    waiting.computeIfAbsent(tenant, t -> new ArrayDeque<>()).add(task);
  }

  /** The next task to run, marked running, or empty when nothing waits or every waiting tenant is at its cap. */
  public Optional<Taken<T>> take() {
    Iterator<Map.Entry<String, ArrayDeque<T>>> turns = waiting.entrySet().iterator();
    while (turns.hasNext()) {
      Map.Entry<String, ArrayDeque<T>> e = turns.next();
      String tenant = e.getKey();
      if (running.getOrDefault(tenant, 0) >= capPerTenant) {
        continue;
      }
      T task = e.getValue().poll();
      turns.remove();
      if (!e.getValue().isEmpty()) {
        waiting.put(tenant, e.getValue()); // to the back of the line
      }
      running.merge(tenant, 1, Integer::sum);
      return Optional.of(new Taken<>(tenant, task));
    }
    return Optional.empty();
  }

  /** A task of {@code tenant} taken earlier has finished. */
  public void done(String tenant) {
    running.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
  }

  public int running(String tenant) {
    return running.getOrDefault(tenant, 0);
  }

  public int waiting() {
    return waiting.values().stream().mapToInt(ArrayDeque::size).sum();
  }

  public record Taken<T>(String tenant, T task) {
  }
}
