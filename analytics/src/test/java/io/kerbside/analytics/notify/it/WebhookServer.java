package io.kerbside.analytics.notify.it;

import com.sun.net.httpserver.HttpServer;
import io.kerbside.analytics.notify.channel.WebhookSignature;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;

/**
 * A webhook receiver on a loopback port: checks each request's signature as a receiver should and
 * answers with the status the test chooses.
 */
final class WebhookServer implements AutoCloseable {
  record Received(String body, String eventId, boolean signatureValid, long timestamp) {}

  final List<Received> received = new CopyOnWriteArrayList<>();
  private final HttpServer server;

  WebhookServer(String secret, IntSupplier status) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hooks/kerbside",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          String ts = exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER);
          String sig = exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER);
          long timestamp = ts == null ? -1 : Long.parseLong(ts);
          boolean valid =
              "POST".equals(exchange.getRequestMethod())
                  && "application/json"
                      .equals(exchange.getRequestHeaders().getFirst("Content-Type"))
                  && WebhookSignature.verify(secret, timestamp, body, sig);
          received.add(
              new Received(
                  new String(body, java.nio.charset.StandardCharsets.UTF_8),
                  exchange.getRequestHeaders().getFirst("X-Kerbside-Alert-Event-Id"),
                  valid,
                  timestamp));
          int code = valid ? status.getAsInt() : 401;
          byte[] answer = ("{\"status\":" + code + "}").getBytes();
          exchange.sendResponseHeaders(code, answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/kerbside");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
