package io.kerbside.sim.plan;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A local HTTP server standing in for Kerbside's plans API: it answers each request with the status
 * and body a function of the request's query gives, and keeps what it was asked.
 */
public final class PlansApiStub implements AutoCloseable {
  /** A recorded answer. */
  public record Answer(int status, String body) {}

  /** A request as received. */
  public record Request(String method, String path, String query, String authorization) {}

  private final HttpServer server;
  public final List<Request> requests = new CopyOnWriteArrayList<>();

  private PlansApiStub(HttpServer server) {
    this.server = server;
  }

  /** Serves {@code answers}' answer to each request's query ({@code date=2026-03-03}). */
  public static PlansApiStub start(Function<String, Answer> answers) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    PlansApiStub stub = new PlansApiStub(server);
    server.createContext(
        "/",
        exchange -> {
          stub.requests.add(
              new Request(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestURI().getQuery(),
                  exchange.getRequestHeaders().getFirst("Authorization")));
          Answer a = answers.apply(String.valueOf(exchange.getRequestURI().getQuery()));
          byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return stub;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
