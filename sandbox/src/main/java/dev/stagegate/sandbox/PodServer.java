package dev.stagegate.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The simulated pods: one small JVM started inside a {@link NetworkNamespace} (a process joins a namespace as a
 * whole, so the pods cannot live in the test JVM) serving one HTTP server per pod. Every answer names its revision
 * and pod in headers, so a load generator behind the gateway can count who served it.
 *
 * <p>Driven line by line on stdin, answering {@code ok} or {@code error ...} on stdout:
 * {@code serve POD REVISION ADDRESS PORT}, {@code stop POD}, {@code errors REVISION RATE}.
 * It exits when stdin closes, so it never outlives the test JVM.
 */
public final class PodServer {
  static final String REVISION_HEADER = "x-stagegate-revision";
  static final String POD_HEADER = "x-stagegate-pod";

  private final Map<String, HttpServer> servers = new ConcurrentHashMap<>();
  private final Map<String, Double> errorRates = new ConcurrentHashMap<>();
  private final ExecutorService handlers = Executors.newFixedThreadPool(8, r -> {
    Thread t = new Thread(r, "pod-handler");
    t.setDaemon(true);
    return t;
  });

  public static void main(String[] args) throws IOException {
    PodServer pods = new PodServer();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println(pods.command(line.trim()));
      }
    }
    pods.servers.values().forEach(s -> s.stop(0));
    System.exit(0);
  }

  String command(String line) {
    String[] words = line.split("\\s+");
    try {
      switch (words[0]) {
        case "serve" -> serve(words[1], words[2], words[3], Integer.parseInt(words[4]));
        case "stop" -> stop(words[1]);
        case "errors" -> errorRates.put(words[1], Double.parseDouble(words[2]));
        default -> {
          return "error unknown command: " + line;
        }
      }
      return "ok";
    } catch (IOException | RuntimeException e) {
      return "error " + e.toString().replace('\n', ' ');
    }
  }

  private void serve(String pod, String revision, String address, int port) throws IOException {
    if (servers.containsKey(pod)) {
      throw new IllegalStateException("pod " + pod + " is already serving");
    }
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 128);
    server.setExecutor(handlers);
    server.createContext("/", exchange -> answer(exchange, pod, revision));
    server.start();
    servers.put(pod, server);
  }

  private void stop(String pod) {
    HttpServer server = servers.remove(pod);
    if (server == null) {
      throw new IllegalStateException("pod " + pod + " is not serving");
    }
    server.stop(0);
  }

  private void answer(HttpExchange exchange, String pod, String revision) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      boolean fail = ThreadLocalRandom.current().nextDouble() < errorRates.getOrDefault(revision, 0.0);
      byte[] body = ("revision=" + revision + " pod=" + pod + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set(REVISION_HEADER, revision);
      exchange.getResponseHeaders().set(POD_HEADER, pod);
      exchange.getResponseHeaders().set("content-type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(fail ? 500 : 200, body.length);
      exchange.getResponseBody().write(body);
    }
  }
}
