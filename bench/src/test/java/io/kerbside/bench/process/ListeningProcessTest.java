package io.kerbside.bench.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListeningProcessTest {
  @Test
  void findsTheSocketListeningOnAPortAndSkipsConnections(@TempDir Path dir) throws Exception {
    Path table = dir.resolve("tcp");
    Files.writeString(
        table,
        """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 0100007F:4A2E 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0
           1: 0100007F:4A2E 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0
           2: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4444 1 0
        """);

    assertThat(ListeningProcess.listeningInodes(table, 18990)).containsExactly("4242");
    assertThat(ListeningProcess.listeningInodes(table, 5432)).containsExactly("4444");
    assertThat(ListeningProcess.listeningInodes(table, 1883)).isEmpty();
    assertThat(ListeningProcess.listeningInodes(dir.resolve("missing"), 1883)).isEmpty();
  }

  @Test
  void findsThisProcessListeningOnItsOwnServerSocket() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(ListeningProcess.onPort(server.getLocalPort()))
          .contains(ProcessHandle.current().pid());
    }
    ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    int port = closed.getLocalPort();
    closed.close();
    assertThat(ListeningProcess.onPort(port)).isEmpty();
  }
}
