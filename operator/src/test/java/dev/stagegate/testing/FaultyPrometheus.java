package dev.stagegate.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A loopback stand-in for Prometheus' `/api/v1/query` that answers whatever fault a test sets: a slow answer, an HTTP
 * 500, a body that is not JSON, warnings, NaN or Inf, several series. Only for answers whose shape is Prometheus'
 * documented format; anything that depends on Prometheus' own judgement (whether a text is a parse error) is tested on
 * the real one. A query's own answer ({@link #answerWhen}) stands in for that judgement once it is known, e.g. the
 * HTTP 400 `bad_data` Prometheus gives a query missing a parenthesis.
 */
public final class FaultyPrometheus implements AutoCloseable {
  /** One canned answer: HTTP status, body, and how long to wait before sending it. */
  public record Answer(int status, String body, Duration delay) {
    public static Answer value(String value) {
      return json("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1700000000,\""
          + value + "\"]}]}}");
    }

    public static Answer json(String body) {
      return new Answer(200, body, Duration.ZERO);
    }

    public Answer after(Duration wait) {
      return new Answer(status, body, wait);
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "faulty-prometheus");
    t.setDaemon(true);
    return t;
  });
  private final AtomicReference<Answer> answer = new AtomicReference<>(Answer.value("0"));
  private final AtomicInteger queries = new AtomicInteger();
  private final List<Map.Entry<Predicate<String>, Answer>> byQuery = new CopyOnWriteArrayList<>();

  public FaultyPrometheus() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(threads);
    server.createContext("/api/v1/query", this::answer);
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void answer(Answer next) {
    answer.set(next);
  }

  /**
   * Queries matching {@code query} get this answer instead (first match wins), e.g. an HTTP 400 `bad_data` for one
   * query text as Prometheus gives it for a syntax error, while every other query is answered as set.
   */
  public void answerWhen(Predicate<String> query, Answer answer) {
    byQuery.add(Map.entry(query, answer));
  }

  public int queries() {
    return queries.get();
  }

  private void answer(HttpExchange exchange) throws IOException {
    queries.incrementAndGet();
    String query = query(exchange.getRequestURI().getRawQuery());
    Answer now = byQuery.stream().filter(e -> e.getKey().test(query)).map(Map.Entry::getValue).findFirst()
        .orElse(answer.get());
    try {
      Thread.sleep(now.delay().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    byte[] body = now.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    try (OutputStream out = exchange.getResponseBody()) {
      exchange.sendResponseHeaders(now.status(), body.length);
      out.write(body);
    } catch (IOException e) {
      // The client gave up (timed out) before the answer: that is the fault being tested.
    }
  }

  /** The {@code query} parameter of a request's query string ("" when there is none). */
  private static String query(String rawQuery) {
    if (rawQuery == null) {
      return "";
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.startsWith("query=")) {
        return URLDecoder.decode(pair.substring("query=".length()), StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
