package dev.stagegate.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Simulated pods with real addresses: a {@link NetworkNamespace} of the test's own and a {@link PodServer} inside
 * it, which this class drives over the child's stdin. Each pod gets its own /32, so a gateway routing by
 * EndpointSlice reaches exactly the pods the fake kubelet made ready.
 */
public final class PodNetwork implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PodNetwork.class);
  private static final int FIRST_POD_HOST = 2; // .1 is the host's end of the veth
  private static final int LAST_POD_HOST = 254;

  private final NetworkNamespace namespace;
  private final Process process;
  private final Writer commands;
  private final BufferedReader answers;
  private final Map<String, InetAddress> podAddresses = new HashMap<>();
  private final Deque<InetAddress> released = new ArrayDeque<>();
  private int nextHost = FIRST_POD_HOST;
  private boolean closed;

  private PodNetwork(NetworkNamespace namespace, Process process) {
    this.namespace = namespace;
    this.process = process;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  public static PodNetwork start() {
    NetworkNamespace namespace = NetworkNamespace.create();
    try {
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      // A small, quickly started JVM: it only answers HTTP with a few bytes.
      List<String> command = namespace.exec(List.of(java.toString(), "-Xmx64m", "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1", "-Xss512k", "-Dsun.net.httpserver.nodelay=true",
          "-cp", ownClassPath(), PodServer.class.getName()));
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      log.info("Pod server started in network namespace {} (pid {})", namespace.name(), process.pid());
      return new PodNetwork(namespace, process);
    } catch (IOException e) {
      namespace.close();
      throw new UncheckedIOException("cannot start the pod server", e);
    } catch (RuntimeException e) {
      namespace.close();
      throw e;
    }
  }

  public NetworkNamespace namespace() {
    return namespace;
  }

  /** Starts serving {@code pod} of {@code revision} on a fresh address of the namespace and returns it. */
  public synchronized InetAddress startPod(String pod, String revision, int port) {
    Objects.requireNonNull(pod);
    Objects.requireNonNull(revision);
    if (podAddresses.containsKey(pod)) {
      throw new IllegalStateException("pod " + pod + " is already running");
    }
    InetAddress address = nextAddress();
    send("serve " + word(pod) + " " + word(revision) + " " + address.getHostAddress() + " " + port);
    podAddresses.put(pod, address);
    return address;
  }

  public synchronized void stopPod(String pod) {
    InetAddress address = podAddresses.remove(pod);
    if (address == null) {
      throw new IllegalStateException("pod " + pod + " is not running");
    }
    send("stop " + word(pod));
    released.addLast(address);
  }

  /** Makes that share of {@code revision}'s answers a 500 (a bad canary). */
  public synchronized void setErrorRate(String revision, double rate) {
    if (rate < 0.0 || rate > 1.0) {
      throw new IllegalArgumentException("error rate must be within 0..1, got " + rate);
    }
    send("errors " + word(revision) + " " + rate);
  }

  public synchronized Map<String, InetAddress> pods() {
    return Map.copyOf(podAddresses);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      commands.close(); // the pod server exits at the end of its stdin
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      namespace.close();
    }
  }

  private InetAddress nextAddress() {
    // Fresh addresses first: a gateway may still hold a connection to a just-stopped pod's address.
    if (nextHost <= LAST_POD_HOST) {
      InetAddress address = namespace.address(nextHost++);
      namespace.addAddress(address);
      return address;
    }
    if (released.isEmpty()) {
      throw new IllegalStateException("all " + (LAST_POD_HOST - FIRST_POD_HOST + 1) + " pod addresses are in use");
    }
    return released.removeFirst();
  }

  private void send(String command) {
    if (closed) {
      throw new IllegalStateException("pod network is closed");
    }
    String answer;
    try {
      commands.write(command + "\n");
      commands.flush();
      answer = answers.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException("pod server does not answer (" + command + ")", e);
    }
    if (answer == null) {
      throw new IllegalStateException("pod server exited (" + command + ")");
    }
    if (!answer.equals("ok")) {
      throw new IllegalStateException("pod server refused `" + command + "`: " + answer);
    }
  }

  private static String word(String s) {
    if (s.isEmpty() || s.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("names must be non-empty and without whitespace: '" + s + "'");
    }
    return s;
  }

  private static String ownClassPath() {
    try {
      return Path.of(PodServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the sandbox classes", e);
    }
  }
}
