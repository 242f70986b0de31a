package dev.stagegate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus token goes to the configured address only. Two HTTP servers on loopback: the configured
 * one answers every query with a redirect to the other, which records what it receives.
 */
class PrometheusRedirectTest {
  private static final String TOKEN = "prom-token-never-forwarded";
  private final List<String> elsewhere = new CopyOnWriteArrayList<>();
  private HttpServer configured;
  private HttpServer other;

  @AfterEach
  void stop() {
    if (configured != null) {
      configured.stop(0);
    }
    if (other != null) {
      other.stop(0);
    }
  }

  private static HttpServer server() throws IOException {
    return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
  }

  @Test
  @DisplayName("given a Prometheus that redirects, then the query fails saying so and the other server never sees a request, let alone the token")
  void redirectIsNotFollowed() throws IOException {
    other = server();
    other.createContext("/", exchange -> {
      elsewhere.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      byte[] body = "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[0,\"0\"]}}"
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    other.start();
    configured = server();
    configured.createContext("/", exchange -> {
      // another port on loopback: for the JDK client a different origin, like another host
      exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + other.getAddress().getPort()
          + exchange.getRequestURI());
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    configured.start();

    QueryResult result = new PrometheusClient("http://127.0.0.1:" + configured.getAddress().getPort(),
        PrometheusAuth.bearer(TOKEN)).query("vector(0)", Duration.ofSeconds(5));

    assertThat(result).isInstanceOfSatisfying(QueryResult.Failed.class,
        f -> assertThat(f.message()).contains("redirect (HTTP 302)").doesNotContain(TOKEN));
    assertThat(elsewhere).as("requests seen by the other server").isEmpty();
  }
}
