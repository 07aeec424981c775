import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;

/**
 * The chaos soak's crew: a webhook endpoint that writes one line per notice it receives (receive
 * time in ms, the X-Kerbside-Alert-Event-Id header, the X-Kerbside-Event header) and answers 204.
 * A notice sent again after a lost answer carries the same event id, so the soak can count
 * notices received, distinct events, and copies.
 *
 * <p>Usage: {@code java scripts/chaos/WebhookReceiver.java HOST PORT FILE}
 */
public final class WebhookReceiver {
  private WebhookReceiver() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: WebhookReceiver HOST PORT FILE");
      System.exit(2);
    }
    Writer out =
        Files.newBufferedWriter(
            Path.of(args[2]),
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(args[0], Integer.parseInt(args[1])), 64);
    server.createContext(
        "/",
        exchange -> {
          try (InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
          }
          String id = exchange.getRequestHeaders().getFirst("X-Kerbside-Alert-Event-Id");
          String event = exchange.getRequestHeaders().getFirst("X-Kerbside-Event");
          synchronized (out) {
            out.write(System.currentTimeMillis() + "\t" + id + "\t" + event + "\n");
            out.flush();
          }
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
    System.out.println("listening on " + args[0] + ":" + args[1]);
  }
}
