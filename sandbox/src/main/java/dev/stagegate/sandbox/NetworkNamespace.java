package dev.stagegate.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Linux network namespace that a test run creates for itself, joined to the host by a veth pair, with a
 * 10.234.N.0/24 of its own. The simulated pods listen on /32s of the namespace's {@code lo}: the kube-apiserver
 * refuses loopback addresses in EndpointSlices, and these are addresses of this machine that no other host has.
 *
 * <p>Several runs may share the machine (CI and a developer, or two Maven forks): a subnet is claimed with an
 * {@code unreachable} host route tagged with a private metric, which the kernel refuses to add twice, and
 * namespaces left by a run that died are swept by the next one (their name carries the creating pid).
 */
public final class NetworkNamespace implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NetworkNamespace.class);
  private static final String PREFIX = "10.234.";
  /** Marks our subnet claims, so they never collide with a route someone else added. */
  private static final int GUARD_METRIC = 4242;
  private static final Pattern OWN_NAME = Pattern.compile("stagegate-(\\d+)-(\\d+)");
  private static final List<Path> IP_CANDIDATES =
      List.of(Path.of("/usr/sbin/ip"), Path.of("/sbin/ip"), Path.of("/usr/bin/ip"), Path.of("/bin/ip"));
  private static final long CAP_NET_ADMIN = 1L << 12;
  private static final long CAP_SYS_ADMIN = 1L << 21;

  private final Path ip;
  private final String name;
  private final int subnet;
  private final String hostLink;
  private final Thread shutdownHook;
  private boolean closed;

  private NetworkNamespace(Path ip, String name, int subnet, String hostLink) {
    this.ip = ip;
    this.name = name;
    this.subnet = subnet;
    this.hostLink = hostLink;
    this.shutdownHook = new Thread(this::close, "netns-cleanup-" + name);
  }

  public static Optional<Path> ipBinary() {
    return IP_CANDIDATES.stream().filter(Files::isExecutable).findFirst();
  }

  /** Why no namespace can be created here, if it cannot. */
  public static Optional<String> unavailableReason() {
    if (ipBinary().isEmpty()) {
      return Optional.of("iproute2's `ip` is not installed (apt-get install iproute2)");
    }
    long caps = effectiveCapabilities();
    if ((caps & CAP_NET_ADMIN) == 0 || (caps & CAP_SYS_ADMIN) == 0) {
      return Optional.of("creating a network namespace needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN)");
    }
    return Optional.empty();
  }

  public static NetworkNamespace create() {
    Path ip = ipBinary().orElseThrow(() -> new IllegalStateException(unavailableReason().orElseThrow()));
    sweepStale(ip);
    long pid = ProcessHandle.current().pid();
    List<Integer> candidates = new ArrayList<>();
    for (int n = 0; n < 256; n++) {
      candidates.add(n);
    }
    // Random order: concurrent runs rarely race for the same subnet, and the claim settles it when they do.
    Collections.shuffle(candidates, ThreadLocalRandom.current());
    for (int n : candidates) {
      if (overlapsHostRoute(ip, n) || !claim(ip, n)) {
        continue;
      }
      String name = "stagegate-" + pid + "-" + n;
      // Interface names are at most 15 characters: pid and subnet in hex keep them short and unique.
      String hostLink = String.format("sg%x-%xh", pid, n);
      NetworkNamespace ns = new NetworkNamespace(ip, name, n, hostLink);
      try {
        ns.setUp();
      } catch (RuntimeException e) {
        ns.close();
        throw e;
      }
      Runtime.getRuntime().addShutdownHook(ns.shutdownHook);
      log.info("Network namespace {} with pods on {}0/24 (host end {})",
          name, ns.subnetPrefix(), ns.hostAddress().getHostAddress());
      return ns;
    }
    throw new IllegalStateException("no free 10.234.N.0/24 subnet for a test network namespace");
  }

  public String name() {
    return name;
  }

  /** The host's end of the veth pair: the source of every packet the host sends into the namespace. */
  public InetAddress hostAddress() {
    return address(1);
  }

  public InetAddress address(int host) {
    if (host < 1 || host > 254) {
      throw new IllegalArgumentException("host part must be 1..254, got " + host);
    }
    try {
      return InetAddress.getByName(subnetPrefix() + host);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  public void addAddress(InetAddress address) {
    run(ip.toString(), "-n", name, "addr", "add", address.getHostAddress() + "/32", "dev", "lo");
  }

  /** The command line that runs {@code command} inside this namespace. */
  public List<String> exec(List<String> command) {
    List<String> line = new ArrayList<>(List.of(ip.toString(), "netns", "exec", name));
    line.addAll(command);
    return line;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is what is running us
    }
    killProcessesInside(ip, name);
    runQuietly(ip.toString(), "netns", "delete", name);
    runQuietly(ip.toString(), "link", "delete", hostLink);
    releaseClaim(ip, subnet);
  }

  private String subnetPrefix() {
    return PREFIX + subnet + ".";
  }

  private void setUp() {
    String peer = hostLink.substring(0, hostLink.length() - 1) + "p";
    String host = hostAddress().getHostAddress();
    run(ip.toString(), "netns", "add", name);
    run(ip.toString(), "link", "add", hostLink, "type", "veth", "peer", "name", peer, "netns", name);
    run(ip.toString(), "addr", "add", host + "/32", "dev", hostLink);
    run(ip.toString(), "link", "set", hostLink, "up");
    run(ip.toString(), "-n", name, "link", "set", "lo", "up");
    run(ip.toString(), "-n", name, "link", "set", peer, "up");
    // Only the host's end is reachable from inside: nothing in the namespace can reach any other address.
    run(ip.toString(), "-n", name, "route", "add", host + "/32", "dev", peer);
    // More specific than the unreachable claim, so the host reaches the pods through the veth.
    run(ip.toString(), "route", "add", subnetPrefix() + "0/24", "dev", hostLink, "src", host);
  }

  private static boolean claim(Path ip, int n) {
    return runQuietly(ip.toString(), "route", "add", "unreachable", PREFIX + n + ".0/24",
        "metric", String.valueOf(GUARD_METRIC));
  }

  private static void releaseClaim(Path ip, int n) {
    runQuietly(ip.toString(), "route", "delete", "unreachable", PREFIX + n + ".0/24",
        "metric", String.valueOf(GUARD_METRIC));
  }

  /** A subnet some real interface or route already uses is never taken. */
  private static boolean overlapsHostRoute(Path ip, int n) {
    for (String line : output(ip.toString(), "-4", "route", "show").split("\n")) {
      String[] words = line.trim().split("\\s+");
      if (words.length == 0 || words[0].isEmpty() || words[0].equals("default")) {
        continue;
      }
      boolean typed = words[0].equals("unreachable") || words[0].equals("blackhole") || words[0].equals("prohibit");
      String dest = typed ? (words.length > 1 ? words[1] : "") : words[0];
      if (overlaps(dest, n)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the route destination {@code dest} (a.b.c.d[/bits]) overlaps 10.234.n.0/24. */
  static boolean overlaps(String dest, int n) {
    String[] parts = dest.split("/");
    long base;
    try {
      base = toLong(InetAddress.getByName(parts[0]));
    } catch (UnknownHostException e) {
      return false;
    }
    int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : 32;
    int common = Math.min(bits, 24);
    long mask = common == 0 ? 0L : (0xFFFFFFFFL << (32 - common)) & 0xFFFFFFFFL;
    long ours = (10L << 24) | (234L << 16) | ((long) n << 8);
    return (base & mask) == (ours & mask);
  }

  private static long toLong(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length != 4) {
      return -1L;
    }
    return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
  }

  private static void sweepStale(Path ip) {
    for (String line : output(ip.toString(), "netns", "list").split("\n")) {
      Matcher m = OWN_NAME.matcher(line.trim().split("\\s+")[0]);
      if (!m.matches()) {
        continue;
      }
      long pid = Long.parseLong(m.group(1));
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        continue;
      }
      String stale = m.group(0);
      int n = Integer.parseInt(m.group(2));
      log.info("Removing network namespace {} left by a run that ended without cleaning up", stale);
      killProcessesInside(ip, stale);
      runQuietly(ip.toString(), "netns", "delete", stale);
      runQuietly(ip.toString(), "link", "delete", String.format("sg%x-%xh", pid, n));
      releaseClaim(ip, n);
    }
  }

  private static void killProcessesInside(Path ip, String namespace) {
    for (String pid : output(ip.toString(), "netns", "pids", namespace).split("\\s+")) {
      if (!pid.isBlank()) {
        ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  private static long effectiveCapabilities() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      return lines.filter(l -> l.startsWith("CapEff:")).findFirst()
          .map(l -> Long.parseUnsignedLong(l.substring("CapEff:".length()).trim(), 16))
          .orElse(0L);
    } catch (IOException | NumberFormatException e) {
      return 0L;
    }
  }

  private static void run(String... command) {
    Result r = exec(command);
    if (r.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed (exit " + r.exitCode() + "): "
          + r.output().strip());
    }
  }

  private static boolean runQuietly(String... command) {
    Result r = exec(command);
    if (r.exitCode() != 0) {
      log.debug("{} exited {}: {}", String.join(" ", command), r.exitCode(), r.output().strip());
    }
    return r.exitCode() == 0;
  }

  private static String output(String... command) {
    Result r = exec(command);
    return r.exitCode() == 0 ? r.output() : "";
  }

  private static Result exec(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out");
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command[0], e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    }
  }

  private record Result(int exitCode, String output) {}
}
