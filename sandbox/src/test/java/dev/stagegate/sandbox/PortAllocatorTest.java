package dev.stagegate.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {

  @Test
  @DisplayName("A port it returns can be bound on loopback right away")
  void portIsBindable() throws Exception {
    int port = PortAllocator.freePort();

    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      assertThat(socket.getLocalPort()).isEqualTo(port).isPositive();
    }
  }
}
