package dev.stagegate.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.stagegate.testing.WebhookSink;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NotifySenderTest {
  private final NotifySender sender = new NotifySender();

  @Test
  @DisplayName("given a receiver answering 200, then the send succeeds with the JSON body and the Idempotency-Key header")
  void delivers() {
    try (WebhookSink sink = new WebhookSink()) {
      assertThat(sender.post(URI.create(sink.url("/hook/secret-token")), "{\"a\":1}", "uid-1-3")).isNull();
      assertThat(sink.received("/hook/secret-token")).singleElement().satisfies(r -> {
        assertThat(r.idempotencyKey()).isEqualTo("uid-1-3");
        assertThat(r.body()).isEqualTo("{\"a\":1}");
      });
    }
  }

  @Test
  @DisplayName("given a receiver that redirects elsewhere, then the redirect is not followed and the failure says so without the URL")
  void redirectsAreNotFollowed() throws Exception {
    try (WebhookSink elsewhere = new WebhookSink()) {
      HttpServer redirecting = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      redirecting.createContext("/", exchange -> {
        exchange.getResponseHeaders().add("Location", elsewhere.url("/stolen"));
        exchange.sendResponseHeaders(307, -1);
        exchange.close();
      });
      redirecting.start();
      try {
        String error = sender.post(URI.create("http://127.0.0.1:" + redirecting.getAddress().getPort() + "/hook/secret-token"),
            "{}", "k");
        assertThat(error).isEqualTo("HTTP 307 (redirects are not followed)");
        assertThat(elsewhere.received("/stolen")).isEmpty();
      } finally {
        redirecting.stop(0);
      }
    }
  }

  @Test
  @DisplayName("given a closed port or a URL that is not http(s), then the failure is described in the operator's words, never with the URL")
  void failuresDoNotQuoteTheUrl() throws Exception {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    assertThat(sender.post(URI.create("http://127.0.0.1:" + closed + "/hook/secret-token"), "{}", "k"))
        .isEqualTo("cannot connect");
    assertThat(sender.post(URI.create("ftp://secret-token@example.com/x"), "{}", "k"))
        .isEqualTo("the URL is not an absolute http(s) URL");
  }
}
