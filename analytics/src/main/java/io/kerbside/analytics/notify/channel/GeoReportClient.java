package io.kerbside.analytics.notify.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kerbside.analytics.notify.ChannelSettings;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A GeoReport v2 client (the Open311 API of FixMyStreet and many council works systems), JSON
 * format: {@code POST requests.json}, {@code GET requests/{id}.json} and {@code GET
 * tokens/{token}.json}. Thread-safe; calls block for at most the channel's timeout.
 */
public final class GeoReportClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A request's state as the works system reports it ({@code open} or {@code closed}). */
  public record RequestStatus(String serviceRequestId, String status, Optional<String> notes) {
    public boolean closed() {
      return "closed".equals(status);
    }
  }

  /** A successful answer: its HTTP status and the first element of its array, if any. */
  record Answer(int status, JsonNode first) {}

  /** A failed call: the HTTP status (0 when there was no answer) and what went wrong. */
  public static final class GeoReportException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    GeoReportException(int status, String message, Throwable cause) {
      super(message, cause);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  private final ChannelSettings.Open311 settings;
  private final String base;
  private final HttpClient http;

  public GeoReportClient(ChannelSettings.Open311 settings) {
    this.settings = settings;
    String e = settings.endpoint().toString();
    this.base = e.endsWith("/") ? e.substring(0, e.length() - 1) : e;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofMillis(settings.timeoutMs()))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  public ChannelSettings.Open311 settings() {
    return settings;
  }

  /**
   * Posts a service request. {@code fields} are the form fields besides {@code api_key} and {@code
   * jurisdiction_id}, which this adds.
   *
   * @return the HTTP status and the parsed first element of the answer array
   */
  Answer postRequest(Map<String, String> fields) throws GeoReportException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("api_key", settings.apiKey().reveal());
    settings.jurisdictionId().ifPresent(j -> form.put("jurisdiction_id", j));
    form.putAll(fields);
    String body =
        form.entrySet().stream()
            .map(en -> encode(en.getKey()) + "=" + encode(en.getValue()))
            .collect(Collectors.joining("&"));
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/requests.json"))
            .timeout(Duration.ofMillis(settings.timeoutMs()))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response = send(request);
    return new Answer(response.statusCode(), first(response.body()));
  }

  /** The state of one service request, or empty when the works system does not know it. */
  public Optional<RequestStatus> status(String serviceRequestId) throws GeoReportException {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(base + "/requests/" + encode(serviceRequestId) + ".json" + query()))
            .timeout(Duration.ofMillis(settings.timeoutMs()))
            .header("Accept", "application/json")
            .GET()
            .build();
    JsonNode r;
    try {
      r = first(send(request).body());
    } catch (GeoReportException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
    if (r == null) {
      return Optional.empty();
    }
    String notes = r.path("status_notes").asText("");
    return Optional.of(
        new RequestStatus(
            r.path("service_request_id").asText(serviceRequestId),
            r.path("status").asText(""),
            notes.isBlank() ? Optional.empty() : Optional.of(notes)));
  }

  /** The service request id a token has become, or empty while the works system has none. */
  public Optional<String> requestIdForToken(String token) throws GeoReportException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + "/tokens/" + encode(token) + ".json" + query()))
            .timeout(Duration.ofMillis(settings.timeoutMs()))
            .header("Accept", "application/json")
            .GET()
            .build();
    JsonNode r;
    try {
      r = first(send(request).body());
    } catch (GeoReportException e) {
      if (e.status() == 404) {
        return Optional.empty();
      }
      throw e;
    }
    String id = r == null ? "" : r.path("service_request_id").asText("");
    return id.isBlank() ? Optional.empty() : Optional.of(id);
  }

  private String query() {
    return settings.jurisdictionId().map(j -> "?jurisdiction_id=" + encode(j)).orElse("");
  }

  private HttpResponse<String> send(HttpRequest request) throws GeoReportException {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new GeoReportException(0, "interrupted", e);
    } catch (IOException e) {
      throw new GeoReportException(0, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
    int status = response.statusCode();
    if (status < 200 || status >= 300) {
      throw new GeoReportException(
          status, "HTTP " + status + ": " + errorText(response.body()), null);
    }
    return response;
  }

  /** GeoReport errors are {@code [{"code":400,"description":"..."}]}; else the raw body. */
  private static String errorText(String body) {
    try {
      JsonNode e = first(body);
      if (e != null && e.hasNonNull("description")) {
        return e.get("description").asText();
      }
    } catch (GeoReportException ignored) {
      // not GeoReport JSON: show the body as it is
    }
    return HttpOutcomes.excerpt(body);
  }

  /** GeoReport answers are arrays of one element; a lone object is accepted too. */
  private static JsonNode first(String body) throws GeoReportException {
    try {
      JsonNode n = JSON.readTree(body);
      if (n == null || n.isMissingNode()) {
        return null;
      }
      if (n.isArray()) {
        return n.size() == 0 ? null : n.get(0);
      }
      return n.isObject() ? n : null;
    } catch (IOException e) {
      throw new GeoReportException(200, "answer is not JSON: " + HttpOutcomes.excerpt(body), e);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
