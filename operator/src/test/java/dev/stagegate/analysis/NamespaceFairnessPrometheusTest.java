package dev.stagegate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One tenant cannot occupy the operator's Prometheus slots. A loopback Prometheus holds every query of the
 * noisy namespace until the test lets go (a latch, not a clock); the quiet namespace's check must still be
 * answered while they hang. Before the per-namespace share, the noisy namespace's queries took all four
 * operator-wide slots and the quiet check waited out its timeout with "no free query slot".
 */
class NamespaceFairnessPrometheusTest {
  private static final String ANSWER = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
      + "[{\"metric\":{},\"value\":[1765000000,\"0.5\"]}]}}";
  private final CountDownLatch letSlowGo = new CountDownLatch(1);
  private final AtomicInteger slowArrived = new AtomicInteger();
  private final ExecutorService serverThreads = Executors.newCachedThreadPool();
  private final ExecutorService noisy = Executors.newCachedThreadPool();
  private HttpServer prometheus;

  @AfterEach
  void stop() {
    letSlowGo.countDown();
    noisy.shutdownNow();
    if (prometheus != null) {
      prometheus.stop(0);
    }
    serverThreads.shutdownNow();
  }

  private String start() throws IOException {
    prometheus = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    prometheus.setExecutor(serverThreads);
    prometheus.createContext("/", exchange -> {
      if (exchange.getRequestURI().getRawQuery().contains("slow")) {
        slowArrived.incrementAndGet();
        try {
          letSlowGo.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    prometheus.start();
    return "http://127.0.0.1:" + prometheus.getAddress().getPort();
  }

  @Test
  @DisplayName("given a namespace with more hanging checks than the operator has slots, when another namespace's check runs, then it is answered while they still hang")
  void quietNamespaceIsAnsweredWhileNoisyOneHangs() throws Exception {
    String url = start();
    PrometheusLimits limits = new PrometheusLimits(4, Duration.ofSeconds(60), 2);
    MetricsSources sources = MetricsSources.prometheus(url, PrometheusAuth.none(), null, limits);
    List<Thread> noisyThreads = new ArrayList<>();
    Map<Integer, QueryResult> noisyResults = new ConcurrentHashMap<>();
    for (int i = 0; i < 6; i++) {
      int n = i;
      Thread t = new Thread(() -> noisyResults.put(n, sources.forTarget(null, Optional.empty(), "noisy")
          .query("slow_check_" + n, Duration.ofSeconds(60))));
      noisyThreads.add(t);
      t.start();
    }
    // Every noisy check is either hanging at Prometheus or waiting for a slot: none is still on its way.
    while (slowArrived.get() < 2 || noisyThreads.stream().anyMatch(t -> t.getState() == Thread.State.RUNNABLE
        || t.getState() == Thread.State.NEW)) {
      Thread.onSpinWait();
    }

    QueryResult quiet = sources.forTarget(null, Optional.empty(), "quiet").query("fast_check", Duration.ofSeconds(5));

    assertThat(quiet).isEqualTo(new QueryResult.Value(0.5));
    assertThat(slowArrived.get()).as("noisy queries let through to Prometheus").isEqualTo(2);
    assertThat(noisyResults).as("noisy checks still hanging").isEmpty();
    letSlowGo.countDown();
    for (Thread t : noisyThreads) {
      t.join();
    }
    assertThat(noisyResults.values()).hasSize(6).allMatch(r -> r.equals(new QueryResult.Value(0.5)));
  }

  @Test
  @DisplayName("given a namespace whose share is taken, when one more of its checks waits past its timeout, then it fails naming the namespace's share")
  void namespaceShareFullIsSaid() throws Exception {
    String url = start();
    PrometheusLimits limits = new PrometheusLimits(4, Duration.ofSeconds(60), 1);
    MetricsSources sources = MetricsSources.prometheus(url, PrometheusAuth.none(), null, limits);
    noisy.submit(() -> sources.forTarget(null, Optional.empty(), "noisy").query("slow_1", Duration.ofSeconds(60)));
    while (slowArrived.get() < 1) {
      Thread.onSpinWait();
    }

    QueryResult second = sources.forTarget(null, Optional.empty(), "noisy").query("slow_2", Duration.ofSeconds(1));

    assertThat(second).isInstanceOfSatisfying(QueryResult.Failed.class,
        f -> assertThat(f.message()).contains("namespace noisy", "its share"));
    assertThat(slowArrived.get()).isEqualTo(1);
  }
}
