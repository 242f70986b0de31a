package dev.stagegate.demo;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * What the members loader exports for Prometheus, like the real loader image would: records loaded and records that
 * failed, per migration. The example's {@code loader-errors} verify check reads the failed counter, so its series
 * must exist (at 0) before the first stage is verified: {@link #register} creates it when a scenario begins.
 */
final class LoaderMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final HttpServer server;

  private LoaderMetrics(HttpServer server) {
    this.server = server;
  }

  static LoaderMetrics start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      LoaderMetrics metrics = new LoaderMetrics(server);
      server.createContext("/metrics", exchange -> {
        try (exchange) {
          byte[] body = metrics.registry.scrape().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
      });
      server.start();
      return metrics;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the loader's metrics port", e);
    }
  }

  String hostPort() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  void register(String namespace, String migration) {
    failed(namespace, migration);
  }

  Counter loaded(String namespace, String migration, String stage) {
    return Counter.builder("loader.records.loaded").description("Records written to the target")
        .tag("namespace", namespace).tag("migration", migration).tag("stage", stage).register(registry);
  }

  Counter failed(String namespace, String migration) {
    return Counter.builder("loader.records.failed").description("Records the loader could not write")
        .tag("namespace", namespace).tag("migration", migration).register(registry);
  }

  /** Failed records of a migration so far, for simulated metrics. */
  double failedTotal(String migration) {
    return registry.find("loader.records.failed").tag("migration", migration).counters().stream()
        .mapToDouble(Counter::count).sum();
  }

  @Override
  public void close() {
    server.stop(0);
    registry.close();
  }
}
