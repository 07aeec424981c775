package io.kerbside.core.net;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * Plain TCP sockets whose input stream is buffered, for Paho's {@code tcp://} connections.
 *
 * <p>Paho reads each MQTT packet from the socket's stream as it is: one byte for the header, one or
 * more for the remaining length, then the rest, each a system call on an unbuffered socket stream.
 * At thousands of messages a second those calls cost more CPU than decoding the messages. With a
 * buffer, one call usually fetches many packets. A read still returns as soon as any byte has
 * arrived, so nothing waits for the buffer to fill. (TLS sockets need none of this: they decrypt a
 * whole record at a time and serve reads from it.)
 */
public final class BufferedSocketFactory extends SocketFactory {
  private static final int BUFFER_BYTES = 16 * 1024;

  /**
   * True when {@code brokerUrl} is a plain TCP connection ({@code tcp://}), the one kind of Paho
   * connection this factory is for.
   */
  public static boolean suits(String brokerUrl) {
    return brokerUrl != null && brokerUrl.regionMatches(true, 0, "tcp://", 0, 6);
  }

  @Override
  public Socket createSocket() {
    return new BufferedInputSocket();
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(null, new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(null, new InetSocketAddress(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
  }

  private static Socket connected(InetSocketAddress local, InetSocketAddress remote)
      throws IOException {
    Socket socket = new BufferedInputSocket();
    try {
      if (local != null) {
        socket.bind(local);
      }
      socket.connect(remote);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** A socket whose {@link #getInputStream()} is one buffered stream for its whole life. */
  private static final class BufferedInputSocket extends Socket {
    private InputStream input;

    @Override
    public synchronized InputStream getInputStream() throws IOException {
      if (input == null) {
        input = new BufferedInputStream(super.getInputStream(), BUFFER_BYTES);
      }
      return input;
    }
  }
}
