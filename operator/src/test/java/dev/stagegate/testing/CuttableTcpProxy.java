package dev.stagegate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP forwarder in front of a server (a database) that a test can cut: {@link #cut()} resets every open
 * connection and refuses new ones (the port is closed, as for a server that is down); {@link #restore()} listens on the
 * same port again. Bytes pass through unchanged, so TLS and protocol are the server's own.
 */
public final class CuttableTcpProxy implements AutoCloseable {
  private final String upstreamHost;
  private final int upstreamPort;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile ServerSocket listener;
  private volatile int port;
  /** Connections still to pass before the armed one cuts the proxy; 0 when not armed. */
  private final AtomicInteger passBeforeCut = new AtomicInteger();

  public CuttableTcpProxy(String upstreamHost, int upstreamPort) {
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    listen(0);
  }

  public int port() {
    return port;
  }

  /** Closes the port and resets every connection through it. */
  public synchronized void cut() {
    closeQuietly(listener);
    for (Socket s : open) {
      try {
        s.setSoLinger(true, 0);
      } catch (IOException ignored) {
        // closing anyway
      }
      closeQuietly(s);
    }
    open.clear();
  }

  /**
   * The server goes down exactly when the {@code n}-th connection from now on is opened: that connection is reset
   * before any byte reaches the server, every open one with it, and the port is closed until {@link #restore()}.
   */
  public void cutAtConnection(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be at least 1");
    }
    passBeforeCut.set(n);
  }

  /** Listens again on the same port. */
  public synchronized void restore() {
    listen(port);
  }

  private void listen(int on) {
    try {
      ServerSocket server = new ServerSocket();
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), on));
      listener = server;
      port = server.getLocalPort();
      Thread accept = new Thread(() -> accept(server), "tcp-proxy-accept-" + port);
      accept.setDaemon(true);
      accept.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on 127.0.0.1:" + on, e);
    }
  }

  private void accept(ServerSocket server) {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (passBeforeCut.get() > 0 && passBeforeCut.decrementAndGet() == 0) {
          client.setSoLinger(true, 0);
          closeQuietly(client);
          cut();
          return;
        }
        Socket upstream = new Socket(upstreamHost, upstreamPort);
        open.add(client);
        open.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        // closed by cut(), or the upstream refused: the client sees its connection end
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side went away
      } finally {
        closeQuietly(from);
        closeQuietly(to);
        open.remove(from);
        open.remove(to);
      }
    }, "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (Exception ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    cut();
  }
}
