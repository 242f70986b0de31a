package dev.stagegate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Identical Prometheus questions within one window are sent once; different credentials never share. */
class SharedQueriesTest {
  private static final Duration WINDOW = Duration.ofSeconds(10);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final SharedQueries shared = new SharedQueries(clock, WINDOW, 100);
  private final AtomicInteger fetches = new AtomicInteger();
  private HttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private QueryResult ask(String identity, String query) {
    return shared.answer("http://prom", identity, "query", query, null, fetch(new QueryResult.Value(1)), r -> true);
  }

  private Supplier<QueryResult> fetch(QueryResult answer) {
    return () -> {
      fetches.incrementAndGet();
      return answer;
    };
  }

  @Test
  @DisplayName("given 1,000 resources asking the same query in one window, then Prometheus is asked once and every resource gets the answer")
  void identicalQueriesInOneWindowAreSentOnce() {
    for (int i = 0; i < 1000; i++) {
      clock.advance(Duration.ofMillis(5));
      assertThat(ask("none", "sum(rate(errors_total[1m]))")).isEqualTo(new QueryResult.Value(1));
    }
    assertThat(fetches).hasValue(1);
    assertThat(shared.asked()).isEqualTo(1000);
    assertThat(shared.sent()).isEqualTo(1);
  }

  @Test
  @DisplayName("given the next window, then the query is sent again")
  void nextWindowAsksAgain() {
    ask("none", "up");
    clock.advance(WINDOW);
    ask("none", "up");
    assertThat(fetches).hasValue(2);
  }

  @Test
  @DisplayName("given two credentials asking the same query, then each is sent with its own credentials")
  void differentIdentitiesNeverShare() {
    ask("digest-a", "up");
    ask("digest-b", "up");
    ask("none", "up");
    assertThat(fetches).hasValue(3);
  }

  @Test
  @DisplayName("given a failed answer, then the next asker in the same window sends the query again")
  void failuresAreNotShared() {
    shared.answer("http://prom", "none", "query", "up", null, fetch(new QueryResult.Failed("timeout")),
        r -> !(r instanceof QueryResult.Failed));
    QueryResult second = ask("none", "up");
    assertThat(second).isEqualTo(new QueryResult.Value(1));
    assertThat(fetches).hasValue(2);
  }

  @Test
  @DisplayName("given a query pinned to an instant, then it is shared only with the same instant, not with 'now'")
  void pinnedTimesShareOnlyTheSameInstant() {
    Instant at = clock.instant();
    for (Instant time : new Instant[] {at, at, at.plusMillis(1), null}) {
      shared.answer("http://prom", "none", "query", "up", time, fetch(new QueryResult.Value(1)), r -> true);
    }
    assertThat(fetches).hasValue(3);
  }

  @Test
  @DisplayName("given more distinct questions than the bound, then only the newest are kept")
  void sizeIsBounded() {
    SharedQueries small = new SharedQueries(clock, WINDOW, 2);
    for (String q : List.of("a", "b", "c")) {
      small.answer("http://prom", "none", "query", q, null, fetch(new QueryResult.Value(1)), r -> true);
    }
    assertThat(small.size()).isEqualTo(2);
    small.answer("http://prom", "none", "query", "c", null, fetch(new QueryResult.Value(1)), r -> true);
    small.answer("http://prom", "none", "query", "a", null, fetch(new QueryResult.Value(1)), r -> true);
    assertThat(fetches).as("c was kept, a had been evicted").hasValue(4);
  }

  @Test
  @DisplayName("given clients on one Prometheus with two tokens and no token, then each token's query reaches Prometheus once with that token")
  void overHttpEachTokenIsSentItsOwnQuery() throws IOException {
    List<String> seen = new CopyOnWriteArrayList<>();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      seen.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      byte[] body = "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[0,\"7\"]}}"
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort();
    PrometheusLimits limits = PrometheusLimits.defaults();
    for (PrometheusAuth auth : List.of(PrometheusAuth.bearer("token-a"), PrometheusAuth.bearer("token-a"),
        PrometheusAuth.bearer("token-b"), PrometheusAuth.none(), PrometheusAuth.none())) {
      assertThat(new PrometheusClient(url, auth, shared, limits).query("up", Duration.ofSeconds(5)))
          .isEqualTo(new QueryResult.Value(7));
    }
    assertThat(seen).containsExactly("Bearer token-a", "Bearer token-b", "null");
  }

  /** A clock the test moves by hand. */
  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
