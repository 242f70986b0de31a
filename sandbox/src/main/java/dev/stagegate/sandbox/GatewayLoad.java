package dev.stagegate.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Real HTTP requests through the gateway, counted by the revision that answered (the {@link PodServer} names it in
 * a header). Bounded by construction: {@link #send} sends a fixed count, {@link Steady} runs until stopped.
 */
public final class GatewayLoad {
  private final URI target;
  private final HttpClient http;

  public GatewayLoad(URI target) {
    // Test traffic never leaves this machine: the gateway listens on loopback and forwards into our namespace.
    if (!"127.0.0.1".equals(target.getHost()) && !"localhost".equals(target.getHost())) {
      throw new IllegalArgumentException("test traffic goes to loopback only, not " + target);
    }
    this.target = target;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
  }

  /** Sends {@code requests} GETs over {@code concurrency} connections and tallies the answers. */
  public Tally send(int requests, int concurrency, Map<String, String> headers) {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency, Threads.daemon("gateway-load"));
    try {
      AtomicInteger left = new AtomicInteger(requests);
      List<Future<List<Response>>> workers = new ArrayList<>();
      for (int i = 0; i < concurrency; i++) {
        workers.add(pool.submit(() -> {
          List<Response> mine = new ArrayList<>();
          while (left.getAndDecrement() > 0) {
            mine.add(request(headers));
          }
          return mine;
        }));
      }
      List<Response> all = new ArrayList<>();
      for (Future<List<Response>> worker : workers) {
        all.addAll(worker.get());
      }
      all.sort((a, b) -> Long.compare(a.sentNanos(), b.sentNanos()));
      return new Tally(all);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted sending load", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("load worker failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** One request after another on a background thread until {@link Steady#stop()}: traffic during a change. */
  public Steady steady(Map<String, String> headers) {
    return new Steady(headers);
  }

  private Response request(Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(target.resolve("/")).timeout(Duration.ofSeconds(10)).GET();
    headers.forEach(b::header);
    long sent = System.nanoTime();
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(sent, System.nanoTime(), r.statusCode(),
          r.headers().firstValue(PodServer.REVISION_HEADER).orElse(null),
          r.headers().firstValue(PodServer.POD_HEADER).orElse(null));
    } catch (IOException e) {
      return new Response(sent, System.nanoTime(), -1, null, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Response(sent, System.nanoTime(), -1, null, null);
    }
  }

  /** The answers of a run, in the order they were sent. */
  public record Tally(List<Response> responses) {
    public Tally {
      responses = List.copyOf(responses);
    }

    public int count() {
      return responses.size();
    }

    public Map<String, Long> byRevision() {
      return responses.stream().collect(Collectors.groupingBy(
          r -> Objects.requireNonNullElse(r.revision(), "-"), TreeMap::new, Collectors.counting()));
    }

    public Map<Integer, Long> byStatus() {
      return responses.stream().collect(Collectors.groupingBy(Response::status, TreeMap::new, Collectors.counting()));
    }

    public long count(Predicate<Response> which) {
      return responses.stream().filter(which).count();
    }

    /** The share of all answers that {@code revision} served. */
    public double share(String revision) {
      return responses.isEmpty() ? 0.0 : (double) count(r -> revision.equals(r.revision())) / responses.size();
    }

    /** Gateway or backend failures, and requests that got no answer at all. */
    public long errors() {
      return count(Response::isServerError);
    }
  }

  public final class Steady implements AutoCloseable {
    private final List<Response> responses = Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    private Steady(Map<String, String> headers) {
      thread = Threads.daemon("gateway-steady-load").newThread(() -> {
        while (running.get()) {
          responses.add(request(headers));
        }
      });
      thread.start();
    }

    public Tally soFar() {
      synchronized (responses) {
        return new Tally(responses);
      }
    }

    public Tally stop() {
      running.set(false);
      try {
        thread.join(Duration.ofSeconds(10).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return soFar();
    }

    @Override
    public void close() {
      stop();
    }
  }

  /** One answer; status -1 when the request got none (refused, reset, timed out). */
  public record Response(long sentNanos, long receivedNanos, int status, String revision, String pod) {
    public boolean isServerError() {
      return status < 0 || status >= 500;
    }
  }
}
