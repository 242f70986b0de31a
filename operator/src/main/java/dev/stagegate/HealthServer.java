package dev.stagegate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** `/metrics` for Prometheus, `/healthz` (informers healthy) and `/readyz` (operator started) for probes. */
final class HealthServer {
  private final HttpServer server;

  HealthServer(int port, PrometheusMeterRegistry registry, Operator operator) {
    try {
      server = HttpServer.create(new InetSocketAddress(port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port + " for metrics and health", e);
    }
    server.setExecutor(Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "health-server");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/metrics", ex -> respond(ex, 200, registry.scrape(),
        "text/plain; version=0.0.4; charset=utf-8"));
    server.createContext("/healthz", ex -> {
      // Not started yet (e.g. waiting for leadership) is healthy: only broken informers are not.
      boolean healthy = !operator.getRuntimeInfo().isStarted() || operator.getRuntimeInfo().allEventSourcesAreHealthy();
      respond(ex, healthy ? 200 : 503, healthy ? "ok\n" : "unhealthy event sources\n", "text/plain");
    });
    server.createContext("/readyz", ex -> {
      boolean ready = operator.getRuntimeInfo().isStarted();
      respond(ex, ready ? 200 : 503, ready ? "ok\n" : "starting\n", "text/plain");
    });
  }

  void start() {
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  void stop() {
    server.stop(0);
  }

  private static void respond(HttpExchange exchange, int code, String body, String type) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
