package dev.stagegate.bench.scale;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operator in a JVM of its own with a fixed heap cap, started from the benchmark's own classpath with
 * {@code dev.stagegate.Main}, so that its memory and CPU are its own and can be read from /proc.
 */
final class OperatorProcess implements AutoCloseable {
  static final Path PACKAGED = Path.of("operator/target/stagegate-operator.jar");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Process process;
  private final int port;
  private volatile long peakHeap;

  private OperatorProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static OperatorProcess start(Path kubeconfig, String prometheusUrl, String heap, String selector, Path log,
      boolean jfr) throws IOException {
    return start(kubeconfig, prometheusUrl, heap, selector, log, jfr, PACKAGED);
  }

  /** {@code jar}: the operator jar to run (another build, for a before/after comparison). */
  static OperatorProcess start(Path kubeconfig, String prometheusUrl, String heap, String selector, Path log,
      boolean jfr, Path jar) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap, "-XX:+UseG1GC"));
    if (jfr) {
      command.add("-XX:StartFlightRecording=settings=profile,filename="
          + log.resolveSibling(log.getFileName().toString().replace(".log", ".jfr")).toAbsolutePath());
    }
    // What ships: the packaged jar (`make build`); else the benchmark's classpath, which has more on it.
    if (Files.isRegularFile(jar)) {
      command.addAll(List.of("-jar", jar.toString()));
    } else {
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.stagegate.Main"));
    }
    command.addAll(List.of("--prometheus-url", prometheusUrl, "--port", Integer.toString(port), "--leader-election", "false",
        "--log-level", "WARN"));
    if (selector != null) {
      command.addAll(List.of("--resource-selector", selector));
    }
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    OperatorProcess started = new OperatorProcess(pb.start(), port);
    started.awaitReady(Duration.ofMinutes(2));
    return started;
  }

  private void awaitReady(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("the operator JVM exited with " + process.exitValue() + " before it was ready");
      }
      try {
        HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
      sleep(500);
    }
    throw new IOException("the operator was not ready within " + timeout);
  }

  long pid() {
    return process.pid();
  }

  /** The operator's own /metrics text. */
  String scrape() throws IOException {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
  }

  /** Samples heap after a full GC and keeps the peak. */
  void sampleHeap() {
    long heap = ProcessProbe.heapAfterGc(process.pid());
    if (heap > peakHeap) {
      peakHeap = heap;
    }
  }

  long peakHeap() {
    return peakHeap;
  }

  long peakRss() {
    return ProcessProbe.peakRss(process.pid());
  }

  double cpuSeconds() {
    return ProcessProbe.cpuSeconds(process.pid());
  }

  /** SIGKILL (what destroyForcibly sends on Linux): no shutdown hook, no lease release, nothing flushed. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
