package dev.stagegate.bench.scale;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Prometheus-compatible instant-query endpoint that answers every query with 0 at once, so that what the
 * benchmark measures is the operator, not Prometheus. It counts, per check-interval window (aligned to the
 * epoch, like the operator's share window), the queries that arrive and how many of them were distinct
 * (query text + credentials): equal counts mean no identical query was sent twice in a window.
 */
final class QueryEndpoint implements AutoCloseable {
  private final HttpServer server;
  private final long windowMillis;
  private final Map<Long, Set<String>> distinctByWindow = new ConcurrentHashMap<>();
  private final Map<Long, AtomicLong> issuedByWindow = new ConcurrentHashMap<>();
  private volatile Answer answer = Answer.ZERO;
  private volatile String badApp;

  /** How every query is answered: 0 (the benchmark), or one of the soak's Prometheus faults. */
  enum Answer { ZERO, ERROR_500, SLOW, NAN }

  QueryEndpoint(long windowMillis) throws IOException {
    this.windowMillis = windowMillis;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    server.createContext("/api/v1/query", this::answer);
    server.setExecutor(Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "fake-prometheus");
      t.setDaemon(true);
      return t;
    }));
    server.start();
  }

  void answer(Answer answer) {
    this.answer = answer;
  }

  /** Queries naming {@code app="<app>"} answer 1 (a 100% error rate) until set back to null: a bad canary. */
  void badCanary(String app) {
    this.badApp = app;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void answer(HttpExchange exchange) throws IOException {
    String raw = exchange.getRequestURI().getRawQuery();
    String query = "";
    for (String part : raw == null ? new String[0] : raw.split("&")) {
      if (part.startsWith("query=")) {
        query = URLDecoder.decode(part.substring(6), StandardCharsets.UTF_8);
      }
    }
    long window = Math.floorDiv(System.currentTimeMillis(), windowMillis);
    issuedByWindow.computeIfAbsent(window, w -> new AtomicLong()).incrementAndGet();
    String who = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
    Set<String> distinct = distinctByWindow.computeIfAbsent(window, w -> ConcurrentHashMap.newKeySet());
    distinct.add(who + "\n" + query);
    Answer mode = answer;
    if (mode == Answer.ERROR_500) {
      exchange.sendResponseHeaders(500, -1);
      exchange.close();
      return;
    }
    if (mode == Answer.SLOW) {
      OperatorProcess.sleep(15_000);
    }
    String bad = badApp;
    String value = mode == Answer.NAN ? "NaN" : bad != null && query.contains("app=\"" + bad + "\"") ? "1" : "0";
    double now = System.currentTimeMillis() / 1000.0;
    byte[] body = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":["
        + now + ",\"" + value + "\"]}]}}").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  /** Issued and distinct queries summed over the windows seen, and the busiest window's figures. */
  Counts counts() {
    long issued = 0;
    long distinct = 0;
    long busiestIssued = 0;
    long busiestDistinct = 0;
    Set<Long> windows = new HashSet<>(issuedByWindow.keySet());
    for (long w : windows) {
      long i = issuedByWindow.get(w).get();
      long d = distinctByWindow.getOrDefault(w, Set.of()).size();
      issued += i;
      distinct += d;
      if (i > busiestIssued) {
        busiestIssued = i;
        busiestDistinct = d;
      }
    }
    return new Counts(issued, distinct, windows.size(), busiestIssued, busiestDistinct);
  }

  void reset() {
    issuedByWindow.clear();
    distinctByWindow.clear();
  }

  record Counts(long issued, long distinct, int windows, long busiestIssued, long busiestDistinct) {
    double issuedPerWindow() {
      return windows == 0 ? 0 : (double) issued / windows;
    }

    double distinctPerWindow() {
      return windows == 0 ? 0 : (double) distinct / windows;
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
