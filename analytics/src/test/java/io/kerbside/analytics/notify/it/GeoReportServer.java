package io.kerbside.analytics.notify.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A works system speaking GeoReport v2 (JSON format) on a loopback port, as the specification
 * describes it: {@code POST requests.json} (form-encoded; {@code api_key}, {@code service_code}, a
 * location and {@code attribute[code]} fields) answers {@code [{"service_request_id": ...,
 * "service_notice": ..., "account_id": null}]} or, when it queues requests, {@code [{"token":
 * ...}]}; {@code GET requests/{id}.json} answers an array with the request's {@code status} ({@code
 * open} or {@code closed}) and {@code status_notes}; {@code GET tokens/{token}.json} answers {@code
 * [{"service_request_id": ..., "token": ...}]}; errors are {@code [{"code": ..., "description":
 * ...}]}.
 */
final class GeoReportServer implements AutoCloseable {
  static final String PATH = "/open311/v2";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REQUEST = Pattern.compile(PATH + "/requests/([^/]+)\\.json");
  private static final Pattern TOKEN = Pattern.compile(PATH + "/tokens/([^/]+)\\.json");

  record ServiceRequest(String id, Map<String, String> form, String status, String notes) {}

  final List<Map<String, String>> posted = new CopyOnWriteArrayList<>();
  final Map<String, ServiceRequest> requests = new ConcurrentHashMap<>();
  final Map<String, String> tokens = new ConcurrentHashMap<>();
  final AtomicInteger statusReads = new AtomicInteger();
  volatile boolean answerWithTokens;
  private final AtomicInteger ids = new AtomicInteger(638_343);
  private final String apiKey;
  private final Set<String> services;
  private final HttpServer server;

  GeoReportServer(String apiKey, Set<String> services) throws IOException {
    this.apiKey = apiKey;
    this.services = services;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(PATH, this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
  }

  void close(String id, String notes) {
    requests.computeIfPresent(id, (k, r) -> new ServiceRequest(r.id(), r.form(), "closed", notes));
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    if (ex.getRequestMethod().equals("POST") && path.equals(PATH + "/requests.json")) {
      postRequest(ex);
      return;
    }
    if (ex.getRequestMethod().equals("GET")) {
      Matcher m = REQUEST.matcher(path);
      if (m.matches()) {
        statusReads.incrementAndGet();
        ServiceRequest r = requests.get(m.group(1));
        if (r == null) {
          error(ex, 404, "Service request not found");
          return;
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("service_request_id", r.id());
        o.put("status", r.status());
        o.put("status_notes", r.notes());
        o.put("service_code", r.form().get("service_code"));
        o.put("description", r.form().get("description"));
        o.put("requested_datetime", "2026-11-27T06:00:00Z");
        o.put("updated_datetime", "2026-11-27T06:30:00Z");
        o.put("lat", Double.parseDouble(r.form().get("lat")));
        o.put("long", Double.parseDouble(r.form().get("long")));
        send(ex, 200, JSON.createArrayNode().add(o));
        return;
      }
      Matcher t = TOKEN.matcher(path);
      if (t.matches() && tokens.containsKey(t.group(1))) {
        ObjectNode o = JSON.createObjectNode();
        o.put("service_request_id", tokens.get(t.group(1)));
        o.put("token", t.group(1));
        send(ex, 200, JSON.createArrayNode().add(o));
        return;
      }
    }
    error(ex, 404, "Not found");
  }

  private void postRequest(HttpExchange ex) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    Map<String, String> form =
        parseForm(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
    posted.add(form);
    if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
      error(ex, 400, "Expected a form-encoded body");
    } else if (!apiKey.equals(form.get("api_key"))) {
      error(ex, 403, "Invalid api_key");
    } else if (!services.contains(form.get("service_code"))) {
      error(ex, 400, "Service not found: " + form.get("service_code"));
    } else if (form.get("lat") == null || form.get("long") == null) {
      error(ex, 400, "A location is required (lat and long, address_string or address_id)");
    } else {
      String id = Integer.toString(ids.incrementAndGet());
      requests.put(id, new ServiceRequest(id, form, "open", null));
      ObjectNode o = JSON.createObjectNode();
      if (answerWithTokens) {
        String token = "tok-" + id;
        tokens.put(token, id);
        o.put("token", token);
      } else {
        o.put("service_request_id", id);
        o.put("service_notice", "The crew will attend within 24 hours");
        o.putNull("account_id");
      }
      send(ex, 201, JSON.createArrayNode().add(o));
    }
  }

  private static Map<String, String> parseForm(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static void error(HttpExchange ex, int code, String description) throws IOException {
    ObjectNode o = JSON.createObjectNode();
    o.put("code", code);
    o.put("description", description);
    send(ex, code, JSON.createArrayNode().add(o));
  }

  private static void send(HttpExchange ex, int code, ArrayNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
