package io.kerbside.sim.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.core.config.Secret;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlansApiClientTest {
  private static final String KEY = "ks_live_s3cret-key-0042";
  private static final LocalDate DATE = LocalDate.of(2026, 11, 30);

  /** As {@code GET /api/v1/plans/collections?date=2026-11-30} answers (two rounds). */
  static final String ANSWER =
      """
      {"date":"2026-11-30","planning_configured":true,"plans":[
       {"id":7,"council":"default","date":"2026-11-30","round":"morning",
        "planned_at":"2026-11-30T04:00:00Z","planned_by":"api:depot","bins_considered":3,
        "routes":[{"vehicle":"rcv-1","capacity_l":12000,"depot":{"lat":52.2053,"lon":0.1218},
          "start":"2026-11-30T06:30:00Z","end":"2026-11-30T07:40:00Z","km":4.2,"litres":430.0,
          "stops":2}],
        "stops":[
         {"stop":1,"vehicle":"rcv-1","order":1,"eta":"2026-11-30T07:12:00Z",
          "asset":{"id":11,"ref":"MAR/BIN/00001"},"name":"Bin, by the market","street":"Market Hill",
          "ward":"Market","lat":52.2053,"lon":0.1218,"litres":190.0,"predicted_fill_pct":81.0,
          "reasons":["predicted-fill","alert"],"status":"planned","emptied_at":null,"emptied_by":null},
         {"stop":2,"vehicle":"rcv-1","order":2,"eta":"2026-11-30T07:31:00Z",
          "asset":{"id":12,"ref":"MAR/BIN/00002"},"name":null,"street":null,"ward":null,
          "lat":52.2,"lon":0.12,"litres":240.0,"predicted_fill_pct":null,"reasons":["schedule"],
          "status":"emptied","emptied_at":"2026-11-30T07:35:00Z","emptied_by":"crew:ann"},
         {"stop":3,"vehicle":null,"order":null,"eta":null,
          "asset":{"id":13,"ref":"MAR/BIN/00003"},"lat":52.2,"lon":0.12,"litres":240.0,
          "predicted_fill_pct":95.5,"reasons":["predicted-fill"],"status":"unassigned"}]},
       {"id":8,"council":"default","date":"2026-11-30","round":"evening","stops":[
         {"stop":1,"vehicle":"rcv-2","order":1,"eta":"2026-11-30T18:05:00Z",
          "asset":{"id":11,"ref":"MAR/BIN/00001"},"status":"planned"}]}]}
      """;

  private static PlansApiClient client(String url) {
    return new PlansApiClient(url, Secret.of(KEY), Duration.ofSeconds(10));
  }

  @Test
  void readsEachRoundsPlanWithItsStopsAndTheirEtas() {
    List<PlanFile> plans = PlansApiClient.parse("api", DATE, ANSWER);

    assertThat(plans).hasSize(2);
    PlanFile morning = plans.get(0);
    assertThat(morning.council()).isEqualTo("default");
    assertThat(morning.date()).isEqualTo(DATE);
    assertThat(morning.round()).isEqualTo("morning");
    assertThat(morning.source()).isEqualTo("api (round morning)");
    assertThat(morning.stops())
        .containsExactly(
            new PlanFile.Stop("MAR/BIN/00001", Instant.parse("2026-11-30T07:12:00Z")),
            new PlanFile.Stop("MAR/BIN/00002", Instant.parse("2026-11-30T07:31:00Z")),
            new PlanFile.Stop("MAR/BIN/00003", null));
    assertThat(plans.get(1).round()).isEqualTo("evening");
    assertThat(plans.get(1).stops())
        .containsExactly(new PlanFile.Stop("MAR/BIN/00001", Instant.parse("2026-11-30T18:05:00Z")));
  }

  @Test
  void aDayWithoutPlansHasNone() {
    assertThat(
            PlansApiClient.parse(
                "api",
                DATE,
                "{\"date\":\"2026-11-30\",\"planning_configured\":false,\"plans\":[]}"))
        .isEmpty();
  }

  @Test
  void refusesWhatIsNotThePlansOfTheDate() {
    assertThatThrownBy(() -> PlansApiClient.parse("api", DATE, "{\"plans\":[{\"council\":"))
        .isInstanceOf(PlanApiException.class)
        .hasMessageStartingWith("api: not JSON");
    assertThatThrownBy(() -> PlansApiClient.parse("api", DATE, "<html>502</html>"))
        .isInstanceOf(PlanApiException.class)
        .hasMessageStartingWith("api: not JSON");
    assertThatThrownBy(() -> PlansApiClient.parse("api", DATE, "[]"))
        .hasMessage("api: not the plans of a date: no 'plans' array");
    assertThatThrownBy(() -> PlansApiClient.parse("api", DATE.plusDays(1), ANSWER))
        .hasMessage("api: plan 1: a plan of 2026-11-30, not of 2026-12-01");
    assertThatThrownBy(
            () ->
                PlansApiClient.parse(
                    "api",
                    DATE,
                    "{\"plans\":[{\"council\":\"default\",\"date\":\"2026-11-30\","
                        + "\"round\":\"daily\",\"stops\":[{\"eta\":\"2026-11-30T07:00:00Z\"}]}]}"))
        .hasMessage("api: plan 1 (round daily), stop 1: no asset.ref");
    assertThatThrownBy(
            () ->
                PlansApiClient.parse(
                    "api",
                    DATE,
                    "{\"plans\":[{\"council\":\"default\",\"date\":\"2026-11-30\","
                        + "\"round\":\"daily\",\"stops\":[{\"asset\":{\"ref\":\"A/1\"},"
                        + "\"eta\":\"07:00\"}]}]}"))
        .hasMessageContaining("stop 1: eta '07:00' is not an instant");
    assertThatThrownBy(
            () ->
                PlansApiClient.parse(
                    "api", DATE, "{\"plans\":[{\"date\":\"2026-11-30\",\"round\":\"daily\"}]}"))
        .hasMessage("api: plan 1: no 'council'");
  }

  @Test
  void asksForTheDatesPlansWithTheKeyAsABearerToken() throws Exception {
    try (PlansApiStub api = PlansApiStub.start(q -> new PlansApiStub.Answer(200, ANSWER))) {
      List<PlanFile> plans = client(api.url() + "/").fetch(DATE);

      assertThat(plans).extracting(PlanFile::round).containsExactly("morning", "evening");
      assertThat(plans.get(0).source())
          .isEqualTo(api.url() + "/api/v1/plans/collections?date=2026-11-30 (round morning)");
      assertThat(api.requests)
          .containsExactly(
              new PlansApiStub.Request(
                  "GET", "/api/v1/plans/collections", "date=2026-11-30", "Bearer " + KEY));
    }
  }

  @Test
  void keepsThePathOfABaseUrlBehindAProxy() throws Exception {
    try (PlansApiStub api = PlansApiStub.start(q -> new PlansApiStub.Answer(200, ANSWER))) {
      client(api.url() + "/kerbside").fetch(DATE);

      assertThat(api.requests.get(0).path()).isEqualTo("/kerbside/api/v1/plans/collections");
    }
  }

  @Test
  void aRefusedKeyStopsWithTheStatusAndTheUrlButNotTheKey() throws Exception {
    try (PlansApiStub api =
        PlansApiStub.start(
            q ->
                new PlansApiStub.Answer(
                    401, "{\"error\":\"unauthorized\",\"message\":\"unknown key " + KEY + "\"}"))) {
      assertThatThrownBy(() -> client(api.url()).fetch(DATE))
          .isInstanceOfSatisfying(
              PlanApiException.class, e -> assertThat(e.status()).isEqualTo(401))
          .hasMessageStartingWith(
              "GET " + api.url() + "/api/v1/plans/collections?date=2026-11-30: 401 Unauthorized")
          .hasMessageNotContaining(KEY);
    }
  }

  @Test
  void anErrorStatusStopsWithTheStatusAndTheApisReason() throws Exception {
    try (PlansApiStub api =
        PlansApiStub.start(
            q ->
                q.contains("2026-11-30")
                    ? new PlansApiStub.Answer(403, "")
                    : new PlansApiStub.Answer(
                        503, "{\"error\":\"unavailable\",\"message\":\"database down\"}"))) {
      assertThatThrownBy(() -> client(api.url()).fetch(DATE))
          .isInstanceOfSatisfying(
              PlanApiException.class, e -> assertThat(e.status()).isEqualTo(403))
          .hasMessageContaining("?date=2026-11-30: 403 Forbidden");
      assertThatThrownBy(() -> client(api.url()).fetch(DATE.plusDays(1)))
          .isInstanceOfSatisfying(
              PlanApiException.class, e -> assertThat(e.status()).isEqualTo(503))
          .hasMessageContaining("?date=2026-12-01: 503 server error")
          .hasMessageContaining("database down");
    }
  }

  @Test
  void aMalformedAnswerStopsNamingTheUrl() throws Exception {
    try (PlansApiStub api =
        PlansApiStub.start(q -> new PlansApiStub.Answer(200, "{\"plans\":[{"))) {
      assertThatThrownBy(() -> client(api.url()).fetch(DATE))
          .isInstanceOf(PlanApiException.class)
          .hasMessageStartingWith(
              api.url() + "/api/v1/plans/collections?date=2026-11-30: not JSON");
    }
  }

  @Test
  void anApiThatIsNotThereStopsWithCannotConnect() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;
    assertThatThrownBy(() -> client(url).fetch(DATE))
        .isInstanceOfSatisfying(PlanApiException.class, e -> assertThat(e.status()).isZero())
        .hasMessageStartingWith(
            "GET " + url + "/api/v1/plans/collections?date=2026-11-30: cannot connect");
  }

  @Test
  void refusesCredentialsInTheUrlWithoutRepeatingThem() {
    assertThatThrownBy(() -> client("http://ann:hunter2@127.0.0.1:8080"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "http://<redacted>@127.0.0.1:8080: credentials in the URL are not used; give the API"
                + " key in the environment")
        .hasMessageNotContaining("hunter2");
    assertThat(PlansApiClient.redact("https://ann:pw@host/x?y=1"))
        .isEqualTo("https://<redacted>@host/x?y=1");
    assertThat(PlansApiClient.redact("http://host:8080")).isEqualTo("http://host:8080");
  }

  @Test
  void refusesWhatIsNotAnHttpBaseUrlOrAnEmptyKey() {
    assertThatThrownBy(() -> client("127.0.0.1:8080"))
        .hasMessageContaining("like http://127.0.0.1:8080");
    assertThatThrownBy(() -> client("ftp://host/"))
        .hasMessageContaining("is not an http or https URL");
    assertThatThrownBy(() -> client("http://host:8080/?date=2026-11-30"))
        .hasMessageContaining("without a query");
    assertThatThrownBy(
            () -> new PlansApiClient("http://host:8080", Secret.empty(), Duration.ofSeconds(1)))
        .hasMessage("no API key for http://host:8080");
    assertThat(client("http://host:8080").toString()).doesNotContain(KEY).contains("<masked>");
  }
}
