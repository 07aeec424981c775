package io.kerbside.sim.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kerbside.core.config.Secret;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads a day's collection plans from a Kerbside REST API: {@code GET
 * /api/v1/plans/collections?date=...} with a bearer key, which answers with the newest stored plan
 * of each round of the date for the key's council (planning them first when none is stored and the
 * API has a planning file). Each plan becomes a {@link PlanFile} whose source is the request's URL.
 *
 * <p>The key is sent only in the {@code Authorization} header: it is in no message, no exception
 * and no {@code toString()}. A base URL with credentials in it ({@code http://user:pass@host}) is
 * refused, and every message names the URL without them. Thread-safe.
 */
public final class PlansApiClient {
  /** Where the plans are, under the base URL. */
  public static final String PLANS_PATH = "/api/v1/plans/collections";

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_BODY_IN_MESSAGE = 200;

  private final URI base;
  private final Secret apiKey;
  private final Duration timeout;
  private final HttpClient http;

  /**
   * @param baseUrl the API's base URL, {@code http://127.0.0.1:8080} (a path prefix is kept)
   * @param apiKey a viewer key (or higher) of the council whose plans are wanted
   * @param timeout how long to wait for each answer; planning a day on demand can take a while
   * @throws IllegalArgumentException when the URL is not an http(s) URL without credentials, query
   *     or fragment, or the key is empty; the message shows the URL without credentials
   */
  public PlansApiClient(String baseUrl, Secret apiKey, Duration timeout) {
    Objects.requireNonNull(baseUrl, "baseUrl");
    this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.base = base(baseUrl);
    if (apiKey.isEmpty()) {
      throw new IllegalArgumentException("no API key for " + base);
    }
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  private static URI base(String text) {
    URI uri;
    try {
      uri = new URI(text.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "'" + redact(text) + "' is not a URL like http://127.0.0.1:8080");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException(
          redact(text)
              + ": credentials in the URL are not used; give the API key in the environment");
    }
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "'" + redact(text) + "' is not an http or https URL like http://127.0.0.1:8080");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          redact(text) + ": the API's base URL, without a query or fragment");
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return URI.create(scheme + "://" + uri.getRawAuthority() + path);
  }

  /**
   * {@code url} with any user-info (credentials) before the host replaced by {@code <redacted>},
   * for messages; text that is not a URL is returned with anything between {@code //} and an
   * {@code @} redacted all the same.
   */
  public static String redact(String url) {
    if (url == null) {
      return null;
    }
    return url.replaceAll("(?<=//)[^/?#]*@", "<redacted>@");
  }

  /** The base URL (never with credentials). */
  public URI baseUrl() {
    return base;
  }

  /** The URL of a date's plans. */
  public URI plansUrl(LocalDate date) {
    return URI.create(base + PLANS_PATH + "?date=" + date);
  }

  /**
   * The plans of {@code date} (every round of the date) for the key's council; none when the API
   * has none and no planning file to make them.
   *
   * @throws PlanApiException when the API cannot be reached, does not answer in time, answers with
   *     a status other than 200, or with something other than the plans of that date
   * @throws InterruptedException when interrupted while waiting for the answer
   */
  public List<PlanFile> fetch(LocalDate date) throws InterruptedException {
    URI url = plansUrl(date);
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Accept", "application/json")
            .header("Authorization", "Bearer " + apiKey.reveal())
            .GET()
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpConnectTimeoutException e) {
      throw new PlanApiException(
          "GET " + url + ": no connection within " + CONNECT_TIMEOUT.toSeconds() + " s", 0, e);
    } catch (HttpTimeoutException e) {
      throw new PlanApiException(
          "GET " + url + ": no answer within " + timeout.toSeconds() + " s", 0, e);
    } catch (ConnectException e) {
      throw new PlanApiException("GET " + url + ": cannot connect (" + describe(e) + ")", 0, e);
    } catch (IOException e) {
      throw new PlanApiException("GET " + url + ": " + describe(e), 0, e);
    }
    int status = response.statusCode();
    if (status != 200) {
      throw new PlanApiException(
          "GET " + url + ": " + status + " " + meaning(status) + excerpt(response.body()),
          status,
          null);
    }
    return parse(url.toString(), date, response.body());
  }

  /**
   * The plans of an answer of {@code GET /api/v1/plans/collections}: {@code {"date": ..., "plans":
   * [{"council", "date", "round", "stops": [{"asset": {"ref"}, "eta"}, ...]}, ...]}}. A stop whose
   * {@code eta} is null (no vehicle could take it) empties nothing.
   *
   * @param source names the answer in messages and becomes each plan's source
   * @param date the date asked for: a plan of another date is refused
   * @throws PlanApiException naming {@code source} when the text is not such an answer
   */
  public static List<PlanFile> parse(String source, LocalDate date, String json) {
    Object root;
    try {
      root = PlanFiles.tree(json == null ? "" : json);
    } catch (JsonProcessingException e) {
      throw malformed(source, "not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw malformed(source, "cannot be read: " + e.getMessage(), e);
    }
    if (!(root instanceof Map<?, ?> answer) || !(answer.get("plans") instanceof List<?> items)) {
      throw malformed(source, "not the plans of a date: no 'plans' array", null);
    }
    List<PlanFile> plans = new ArrayList<>();
    int i = 0;
    for (Object item : items) {
      i++;
      String where = source + ": plan " + i;
      if (!(item instanceof Map<?, ?> plan)) {
        throw malformed(where, "not an object", null);
      }
      String council = text(plan, "council", where);
      String round = text(plan, "round", where);
      LocalDate planDate;
      try {
        planDate = LocalDate.parse(text(plan, "date", where));
      } catch (DateTimeParseException e) {
        throw malformed(where, "date '" + plan.get("date") + "' is not a date like 2026-11-30", e);
      }
      if (!planDate.equals(date)) {
        throw malformed(where, "a plan of " + planDate + ", not of " + date, null);
      }
      if (!(plan.get("stops") instanceof List<?> stopItems)) {
        throw malformed(where, "no 'stops' array", null);
      }
      List<PlanFile.Stop> stops = new ArrayList<>();
      int n = 0;
      for (Object s : stopItems) {
        n++;
        stops.add(stop(s, where + " (round " + round + "), stop " + n));
      }
      plans.add(new PlanFile(source + " (round " + round + ")", council, planDate, round, stops));
    }
    return List.copyOf(plans);
  }

  private static PlanFile.Stop stop(Object item, String where) {
    Map<?, ?> stop = item instanceof Map<?, ?> m ? m : null;
    Map<?, ?> asset = stop != null && stop.get("asset") instanceof Map<?, ?> m ? m : null;
    if (asset == null || !(asset.get("ref") instanceof String ref) || ref.isBlank()) {
      throw malformed(where, "no asset.ref", null);
    }
    Object eta = stop.get("eta");
    if (eta == null) {
      return new PlanFile.Stop(ref, null);
    }
    if (eta instanceof String s) {
      try {
        return new PlanFile.Stop(ref, Instant.parse(s.trim()));
      } catch (DateTimeParseException e) {
        throw malformed(where, "eta '" + s + "' is not an instant like 2026-11-30T07:42:00Z", e);
      }
    }
    throw malformed(where, "eta " + eta + " is not an instant like 2026-11-30T07:42:00Z", null);
  }

  private static String text(Map<?, ?> plan, String field, String where) {
    if (plan.get(field) instanceof String s && !s.isBlank()) {
      return s;
    }
    throw malformed(where, "no '" + field + "'", null);
  }

  private static PlanApiException malformed(String where, String what, Throwable cause) {
    return new PlanApiException(where + ": " + what, 200, cause);
  }

  private static String meaning(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized: the API refused the key";
      case 403 -> "Forbidden: the key may not read plans";
      case 404 -> "Not Found: not a Kerbside API with plans at this URL";
      default -> status >= 500 ? "server error" : "";
    };
  }

  /** A short, single-line piece of an error answer (the API's reason). */
  private String excerpt(String body) {
    if (body == null || body.isBlank()) {
      return "";
    }
    String line = body.replaceAll("\\s+", " ").trim();
    if (!apiKey.isEmpty()) {
      line = line.replace(apiKey.reveal(), "<masked>");
    }
    if (line.length() > MAX_BODY_IN_MESSAGE) {
      line = line.substring(0, MAX_BODY_IN_MESSAGE) + "...";
    }
    return " - " + line;
  }

  private static String describe(IOException e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      m =
          e.getCause() != null && e.getCause().getMessage() != null
              ? e.getCause().getMessage()
              : "";
    }
    return m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  @Override
  public String toString() {
    return "PlansApiClient[" + base + ", apiKey=" + apiKey + "]";
  }
}
