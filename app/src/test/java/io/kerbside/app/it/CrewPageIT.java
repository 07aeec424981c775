package io.kerbside.app.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.api.auth.CrewLinks;
import io.kerbside.app.KerbsideProcess;
import io.kerbside.app.Role;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.config.Secret;
import io.kerbside.core.config.Settings;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The crew page in a real browser (Debian's Chromium, headless, at a phone's size): a crew opens
 * its signed link, sees the seeded day's list - lamps, gritting, footways - and the map, marks a
 * lamp done with a note, and sees it leave the list while the database records the alert resolved
 * by {@code crew:<name>}; it sees the day's stored bin round in driving order, drawn on the map,
 * and marks a bin emptied, which resolves the bin's {@code bin-full} alert as the crew. Screenshots
 * go to {@code target/crew-screenshots/}. The process runs at a fixed instant, {@link #NOW}, a
 * Tuesday morning in London, and every row is seeded relative to it, so the day's lists and round
 * do not depend on when the test runs; the browser's own clock only tells how long ago an alert
 * opened, which no assertion reads. Needs {@code /usr/bin/chromium} and {@code
 * /usr/bin/chromedriver} ({@code scripts/services.sh up} installs them); Selenium Manager is never
 * asked to download anything.
 */
class CrewPageIT {
  private static final String SECRET = "crew-page-test-secret-0123456789abcdef";
  private static final String CREW = "North crew";
  private static final Path SHOTS = Path.of("target", "crew-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Instant NOW = Instant.parse("2026-03-10T09:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final ZoneId LONDON = ZoneId.of("Europe/London");

  private static TestDatabase db;
  private static HikariDataSource ds;
  private static KerbsideProcess process;
  private static long lampAlert;
  private static long tripAlert;
  private static long iceAlert;
  private static long fallingSection;
  private static long binFullAlert;
  private static long roundPlan;
  private ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create(TestServices.Db.POSTGRES);
    ds = db.migrated();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT ensure_reading_partitions(?, ?)")) {
      LocalDate today = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
      ps.setObject(1, today.minusDays(1));
      ps.setObject(2, today);
      ps.execute();
    }
    long lamp =
        asset("LAMP/1", "streetlight", "Lamp column 1", "High Street", 52.2050, 0.1210, null);
    long trip =
        asset(
            "PAVE/1",
            "pavement",
            "Footway by the library",
            "High Street",
            52.2054,
            0.1218,
            "footway");
    long icy =
        asset(
            "PAVE/2", "pavement", "Footway at the bridge", "Mill Lane", 52.2040, 0.1190, "footway");
    fallingSection =
        asset("PAVE/3", "pavement", "Footway on the hill", "Hill Road", 52.2060, 0.1230, "footway");
    lampAlert =
        alert("lamp-failure", "streetlight", "critical", lamp, "lamp column 1 is out", null);
    tripAlert = alert("trip-hazard", "pavement", "major", trip, "crack 45 mm: trip hazard", 45.0);
    iceAlert = alert("ice-risk", "pavement", "critical", icy, "wet surface at 0.5 °C", 0.5);
    fallingSurface(fallingSection);
    long market =
        asset("BIN/1", "bin", "Bin by the market", "Market Square", 52.2048, 0.1196, null);
    long station =
        asset("BIN/2", "bin", "Bin at the station", "Station Road", 52.2035, 0.1240, null);
    long green = asset("BIN/3", "bin", "Bin on the green", "Parkside", 52.2065, 0.1205, null);
    binFullAlert = alert("bin-full", "bin", "major", market, "bin by the market is full", 95.0);
    // driving order differs from the references' order: the page must keep the plan's
    roundPlan = plan(List.of(green, market, station));

    Map<String, String> env = new LinkedHashMap<>();
    env.put("KERBSIDE_DB_URL", db.url());
    env.put("KERBSIDE_DB_USER", TestServices.adminUser());
    env.put("KERBSIDE_HTTP_PORT", "0");
    env.put("KERBSIDE_CREW_LINK_SECRET", SECRET);
    process = KerbsideProcess.start(Settings.from(env), EnumSet.noneOf(Role.class), CLOCK);
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stop() throws Exception {
    if (process != null) {
      process.close();
    }
    if (ds != null) {
      ds.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @BeforeEach
  void openBrowser() {
    File chromium = new File("/usr/bin/chromium");
    File driver = new File("/usr/bin/chromedriver");
    assertThat(chromium.canExecute())
        .as("Debian's chromium (scripts/services.sh up installs it)")
        .isTrue();
    assertThat(driver.canExecute())
        .as("Debian's chromium-driver (scripts/services.sh up)")
        .isTrue();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--window-size=390,844");
    options.setExperimentalOption(
        "mobileEmulation",
        Map.of("deviceMetrics", Map.of("width", 390, "height", 844, "pixelRatio", 2.0)));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(driver).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void closeBrowser(org.junit.jupiter.api.TestInfo test) throws Exception {
    if (browser != null) {
      try {
        // what the page was at the end, to tell why a step failed
        String name = test.getTestMethod().map(m -> m.getName()).orElse("test");
        Files.writeString(SHOTS.resolve(name + "-end.html"), browser.getPageSource());
        shot(name + "-end");
      } finally {
        browser.quit();
      }
    }
  }

  @Test
  void aCrewSignsInWithItsLinkMarksALampDoneAndSeesItLeaveTheList() throws Exception {
    // valid at the process's instant, long expired by the wall clock: the server checks its own
    String token =
        new CrewLinks(Secret.of(SECRET), CLOCK)
            .sign(new CouncilRef(1, "default"), CREW, NOW.plus(Duration.ofHours(2)));
    browser.get(base() + "/crew/#t=" + token);
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    WebElement lamp =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("alert-" + lampAlert)));

    assertThat(browser.getCurrentUrl())
        .as("the token leaves the address bar")
        .doesNotContain(token);
    assertThat(browser.findElement(By.id("who")).getText()).contains(CREW);
    assertThat(lamp.getText()).contains("Lamp out", "High Street", "Castle", "Since");
    assertThat(lamp.findElement(By.linkText("Open in maps")).getAttribute("href"))
        .startsWith("geo:52.205");
    assertThat(browser.findElement(By.id("alert-" + tripAlert)).getText())
        .contains("Trip hazard", "45 mm");
    assertThat(browser.findElement(By.id("footways")).getText()).contains("Make safe");
    assertThat(browser.findElement(By.id("alert-" + iceAlert)).getText()).contains("Ice risk");
    assertThat(browser.findElement(By.id("section-" + fallingSection)).getText())
        .contains("Grit", "Hill Road", "freezing in");
    JavascriptExecutor js = browser;
    wait.until(
        d ->
            ((Number)
                        js.executeScript(
                            "return document.querySelectorAll('#map .leaflet-interactive').length"))
                    .intValue()
                >= 4);
    assertThat(
            (Boolean) js.executeScript("return typeof L !== 'undefined' && L.version === '1.9.4'"))
        .as("Leaflet comes from the server's own WebJar")
        .isTrue();
    assertThat(((Number) js.executeScript("return window.innerWidth")).intValue()).isEqualTo(390);
    shot("01-day-list");

    lamp.findElement(By.cssSelector("button.act-done")).click();
    WebElement note = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("note")));
    assertThat(browser.switchTo().activeElement())
        .as("the note field has the focus")
        .isEqualTo(note);
    note.sendKeys("new lamp fitted");
    shot("02-done-note");
    browser.findElement(By.id("note-confirm")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("alert-" + lampAlert)));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "Marked done"));
    assertThat(browser.findElement(By.id("lamps")).getText()).contains("No lamps to visit");
    shot("03-after-done");

    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT a.status, a.resolved_by, e.note FROM alert a JOIN alert_event e"
                    + " USING (alert_id) WHERE alert_id = ? AND e.type = 'resolved'")) {
      ps.setLong(1, lampAlert);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("a resolved event").isTrue();
        assertThat(rs.getString(1)).isEqualTo("resolved");
        assertThat(rs.getString(2)).isEqualTo("crew:" + CREW);
        assertThat(rs.getString(3)).isEqualTo("new lamp fitted");
      }
    }
  }

  @Test
  void aCrewSeesTodaysBinRoundInOrderAndMarksABinEmptied() throws Exception {
    String token =
        new CrewLinks(Secret.of(SECRET), CLOCK)
            .sign(new CouncilRef(1, "default"), CREW, NOW.plus(Duration.ofHours(2)));
    browser.get(base() + "/crew/#t=" + token);
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    String marketId = "stop-" + roundPlan + "-2";
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(marketId)));
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("status"), "1 bin round, 3 of 3 stops to empty."));

    WebElement rounds = browser.findElement(By.id("rounds"));
    assertThat(rounds.getText()).contains("Round morning", "rcv-1", "Leaves the depot");
    assertThat(
            rounds.findElements(By.cssSelector("ol.stops > li h4")).stream()
                .map(WebElement::getText)
                .toList())
        .as("the stops in driving order")
        .containsExactly("1. Bin on the green", "2. Bin by the market", "3. Bin at the station");
    WebElement market = browser.findElement(By.id(marketId));
    assertThat(market.getText())
        .contains("ETA", "fill 95 %", "planned", "reported full", "BIN/1", "Market Square");
    assertThat(market.findElement(By.linkText("Open in maps")).getAttribute("href"))
        .startsWith("geo:52.2048");
    WebElement emptied = market.findElement(By.cssSelector("button.act-emptied"));
    assertThat(emptied.getAttribute("aria-label"))
        .isEqualTo("Emptied: stop 2 of round morning, Bin by the market, Market Square");

    JavascriptExecutor js = browser;
    wait.until(
        d ->
            ((Number) js.executeScript("return document.querySelectorAll('#map .stop-pin').length"))
                    .intValue()
                == 3);
    assertThat(
            js.executeScript(
                "return Array.from(document.querySelectorAll('#map .stop-pin'))"
                    + ".map(function (p) { return p.textContent; }).join(' ')"))
        .isEqualTo("1 2 3");
    // one line through the three stops, drawn without tiles: a path of three points
    wait.until(
        d ->
            ((Number)
                        js.executeScript(
                            "var l = document.querySelectorAll('#map path.round-line');"
                                + " return l.length === 1"
                                + " ? (l[0].getAttribute('d').match(/L/g) || []).length + 1"
                                + " : -l.length"))
                    .intValue()
                == 3);

    emptied.click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("status"), "Emptied: stop 2 of round morning"));
    assertThat(browser.findElement(By.id("status")).getText()).contains("1 alert on the bin");
    market = browser.findElement(By.id(marketId));
    assertThat(market.getAttribute("data-status")).isEqualTo("emptied");
    assertThat(market.getText()).contains("emptied", "Emptied at", "crew:" + CREW);
    assertThat(market.findElements(By.cssSelector("button.act-emptied"))).isEmpty();
    assertThat(browser.switchTo().activeElement())
        .as("the focus stays on the stop")
        .isEqualTo(market);
    assertThat(rounds.findElements(By.cssSelector("button.act-emptied"))).hasSize(2);
    assertThat(
            js.executeScript(
                "return Array.from(document.querySelectorAll('#map .stop-pin'))"
                    + ".map(function (p) { return p.textContent; }).join(' ')"))
        .isEqualTo("1 \u2713 3");
    js.executeScript("document.getElementById('rounds-title').scrollIntoView()");
    shot("05-bin-round");

    try (Connection c = ds.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT a.status, a.resolved_by, e.actor FROM alert a JOIN alert_event e"
                  + " USING (alert_id) WHERE alert_id = ? AND e.type = 'resolved'")) {
        ps.setLong(1, binFullAlert);
        try (ResultSet rs = ps.executeQuery()) {
          assertThat(rs.next()).as("a resolved event").isTrue();
          assertThat(rs.getString(1)).isEqualTo("resolved");
          assertThat(rs.getString(2)).isEqualTo("crew:" + CREW);
          assertThat(rs.getString(3)).isEqualTo("crew:" + CREW);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT stop_no, status, emptied_by FROM collection_stop WHERE plan_id = ?"
                  + " ORDER BY stop_no")) {
        ps.setLong(1, roundPlan);
        try (ResultSet rs = ps.executeQuery()) {
          for (String expected : List.of("planned", "emptied", "planned")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(2)).as("stop " + rs.getInt(1)).isEqualTo(expected);
          }
        }
      }
    }
  }

  @Test
  void anExpiredLinkAsksToSignInAgain() throws Exception {
    String token =
        new CrewLinks(Secret.of(SECRET), CLOCK)
            .sign(new CouncilRef(1, "default"), CREW, NOW.minusSeconds(60));
    browser.get(base() + "/crew/#t=" + token);
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("signin-error"), "expired"));
    assertThat(browser.findElement(By.id("day")).isDisplayed()).isFalse();
    assertThat(browser.findElement(By.cssSelector("label[for=key]")).getText())
        .isEqualTo("Operator key");
    shot("04-expired-link");
  }

  private static String base() {
    return "http://127.0.0.1:" + process.httpPort();
  }

  private void shot(String name) throws Exception {
    File f = browser.getScreenshotAs(OutputType.FILE);
    Files.copy(f.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  // --- data ------------------------------------------------------------------------------------

  private static long asset(
      String ref, String kind, String name, String street, double lat, double lon, String use)
      throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO asset (council_id, asset_ref, kind, name, street, street_type, ward,"
                    + " latitude, longitude, pavement_use)"
                    + " VALUES (1, ?, ?, ?, ?, 'high-street', 'Castle', ?, ?, ?) RETURNING asset_pk")) {
      ps.setString(1, ref);
      ps.setString(2, kind);
      ps.setString(3, name);
      ps.setString(4, street);
      ps.setDouble(5, lat);
      ps.setDouble(6, lon);
      ps.setString(7, use);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long alert(
      String rule, String kind, String severity, long assetPk, String summary, Double value)
      throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO alert (council_id, subject, rule, kind, severity, status, asset_pk,"
                    + " ward, summary, value, observed_at, last_observed_at, opened_at, updated_at)"
                    + " VALUES (1, ?, ?, ?, ?, 'open', ?, 'Castle', ?, ?, ?, ?, ?, ?)"
                    + " RETURNING alert_id")) {
      Timestamp opened = Timestamp.from(NOW.minus(Duration.ofHours(3)));
      ps.setString(1, "asset/" + assetPk);
      ps.setString(2, rule);
      ps.setString(3, kind);
      ps.setString(4, severity);
      ps.setLong(5, assetPk);
      ps.setString(6, summary);
      if (value == null) {
        ps.setNull(7, java.sql.Types.DOUBLE);
      } else {
        ps.setDouble(7, value);
      }
      ps.setTimestamp(8, opened);
      ps.setTimestamp(9, Timestamp.from(NOW));
      ps.setTimestamp(10, opened);
      ps.setTimestamp(11, Timestamp.from(NOW));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * The stored plan of {@link #NOW}'s day (in the API's default zone, as no planning file is set)
   * of round {@code morning}: vehicle {@code rcv-1} empties {@code bins} in that order, a quarter
   * of an hour apart.
   */
  private static long plan(List<Long> bins) throws Exception {
    LocalDate today = LocalDate.ofInstant(NOW, LONDON);
    Instant start = NOW.minus(Duration.ofMinutes(30));
    Instant end = start.plus(Duration.ofHours(4));
    String details =
        "{\"bins_considered\": 3, \"solve_ms\": 5, \"routes\": [{\"vehicle\": \"rcv-1\","
            + " \"capacity_l\": 12000, \"depot_lat\": 52.2053, \"depot_lon\": 0.1218,"
            + " \"start\": \""
            + start
            + "\", \"end\": \""
            + end
            + "\", \"km\": 4.2, \"litres\": 660, \"stops\": 3}]}";
    try (Connection c = ds.getConnection()) {
      long id;
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO collection_plan (council_id, plan_date, round, planned_at, planned_by,"
                  + " details) VALUES (1, ?, 'morning', ?, 'test', ?::jsonb) RETURNING plan_id")) {
        ps.setObject(1, today);
        ps.setTimestamp(2, Timestamp.from(NOW.minus(Duration.ofHours(1))));
        ps.setString(3, details);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          id = rs.getLong(1);
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO collection_stop (plan_id, stop_no, council_id, asset_pk, vehicle,"
                  + " route_order, eta, litres, predicted_fill_pct, reasons)"
                  + " VALUES (?, ?, 1, ?, 'rcv-1', ?, ?, 220, ?, ?)")) {
        for (int i = 0; i < bins.size(); i++) {
          ps.setLong(1, id);
          ps.setInt(2, i + 1);
          ps.setLong(3, bins.get(i));
          ps.setInt(4, i + 1);
          ps.setTimestamp(5, Timestamp.from(start.plus(Duration.ofMinutes(15L * (i + 1)))));
          ps.setDouble(6, i == 1 ? 95.0 : 85.0 + i);
          ps.setArray(
              7,
              c.createArrayOf(
                  "text",
                  i == 1
                      ? new String[] {"alert", "predicted-fill"}
                      : new String[] {"predicted-fill"}));
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return id;
    }
  }

  /** A section's sensor: 6 °C two hours before {@link #NOW}, falling 1 °C a half hour to 2 °C. */
  private static void fallingSurface(long assetPk) throws Exception {
    try (Connection c = ds.getConnection()) {
      long devicePk;
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO device (council_id, device_id, kind, asset_pk, attached_at)"
                  + " VALUES (1, 'pave-3', 'pavement', ?, ?) RETURNING device_pk")) {
        ps.setLong(1, assetPk);
        ps.setTimestamp(2, Timestamp.from(NOW.minus(Duration.ofDays(1))));
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          devicePk = rs.getLong(1);
        }
      }
      for (int i : List.of(0, 1, 2, 3, 4)) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO reading (council_id, device_pk, ts, received_at, surface_temp_c)"
                    + " VALUES (1, ?, ?, ?, ?)")) {
          Instant at = NOW.minus(Duration.ofMinutes(120 - i * 30));
          ps.setLong(1, devicePk);
          ps.setTimestamp(2, Timestamp.from(at));
          ps.setTimestamp(3, Timestamp.from(at.plusSeconds(5)));
          ps.setDouble(4, 6.0 - i);
          ps.executeUpdate();
        }
      }
    }
  }
}
