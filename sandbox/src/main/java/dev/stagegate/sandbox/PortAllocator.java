package dev.stagegate.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Free loopback ports for child processes that must be told their port up front (a Prometheus that is restarted
 * on the same address). The port is free when returned; another process may still take it before it is bound, so
 * callers that can should retry on "address already in use".
 */
public final class PortAllocator {
  private PortAllocator() {}

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
