package io.kerbside.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BufferedSocketFactoryTest {
  private final BufferedSocketFactory factory = new BufferedSocketFactory();

  @Test
  void suitsPlainTcpBrokersOnly() {
    assertThat(BufferedSocketFactory.suits("tcp://127.0.0.1:1883")).isTrue();
    assertThat(BufferedSocketFactory.suits("TCP://broker:1883")).isTrue();
    assertThat(BufferedSocketFactory.suits("ssl://broker:8883")).isFalse();
    assertThat(BufferedSocketFactory.suits("ws://broker:80")).isFalse();
    assertThat(BufferedSocketFactory.suits(null)).isFalse();
  }

  @Test
  void readsWhatThePeerWroteThroughOneBufferedStream() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = factory.createSocket()) {
      client.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
      try (Socket peer = server.accept()) {
        OutputStream out = peer.getOutputStream();
        out.write(new byte[] {0x30, 3, 'a', 'b', 'c'});
        out.flush();

        InputStream in = client.getInputStream();
        assertThat(in).isInstanceOf(BufferedInputStream.class);
        assertThat(client.getInputStream()).isSameAs(in);
        DataInputStream data = new DataInputStream(in);
        assertThat(data.readByte()).isEqualTo((byte) 0x30);
        assertThat(data.readByte()).isEqualTo((byte) 3);
        byte[] rest = new byte[3];
        data.readFully(rest);
        assertThat(rest).containsExactly('a', 'b', 'c');
      }
    }
  }

  @Test
  void aReadReturnsAsSoonAsAByteArrivesWithoutWaitingForTheBufferToFill() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client =
            factory.createSocket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        Socket peer = server.accept()) {
      CompletableFuture<Integer> read =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return client.getInputStream().read();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      peer.getOutputStream().write(42);
      peer.getOutputStream().flush();
      assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(42);
    }
  }
}
