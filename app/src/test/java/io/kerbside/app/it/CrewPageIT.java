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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * by {@code crew:<name>}. Screenshots go to {@code target/crew-screenshots/}. Needs {@code
 * /usr/bin/chromium} and {@code /usr/bin/chromedriver} ({@code scripts/services.sh up} installs
 * them); Selenium Manager is never asked to download anything.
 */
class CrewPageIT {
  private static final String SECRET = "crew-page-test-secret-0123456789abcdef";
  private static final String CREW = "North crew";
  private static final Path SHOTS = Path.of("target", "crew-screenshots");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static TestDatabase db;
  private static HikariDataSource ds;
  private static KerbsideProcess process;
  private static long lampAlert;
  private static long tripAlert;
  private static long iceAlert;
  private static long fallingSection;
  private ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    db = TestDatabase.create(TestServices.Db.POSTGRES);
    ds = db.migrated();
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

    Map<String, String> env = new LinkedHashMap<>();
    env.put("KERBSIDE_DB_URL", db.url());
    env.put("KERBSIDE_DB_USER", TestServices.adminUser());
    env.put("KERBSIDE_HTTP_PORT", "0");
    env.put("KERBSIDE_CREW_LINK_SECRET", SECRET);
    process = KerbsideProcess.start(Settings.from(env), EnumSet.noneOf(Role.class));
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
    String token =
        new CrewLinks(Secret.of(SECRET), Clock.systemUTC())
            .sign(new CouncilRef(1, "default"), CREW, Instant.now().plus(Duration.ofHours(2)));
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
  void anExpiredLinkAsksToSignInAgain() throws Exception {
    String token =
        new CrewLinks(Secret.of(SECRET), Clock.systemUTC())
            .sign(new CouncilRef(1, "default"), CREW, Instant.now().minusSeconds(60));
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
                    + " ward, summary, value, observed_at, last_observed_at, opened_at)"
                    + " VALUES (1, ?, ?, ?, ?, 'open', ?, 'Castle', ?, ?,"
                    + " now() - interval '3 hours', now(), now() - interval '3 hours')"
                    + " RETURNING alert_id")) {
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
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A section's sensor reading 6 °C two hours ago, falling 1 °C every half hour: 2 °C now. */
  private static void fallingSurface(long assetPk) throws Exception {
    try (Connection c = ds.getConnection()) {
      long devicePk;
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO device (council_id, device_id, kind, asset_pk, attached_at)"
                  + " VALUES (1, 'pave-3', 'pavement', ?, now() - interval '1 day')"
                  + " RETURNING device_pk")) {
        ps.setLong(1, assetPk);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          devicePk = rs.getLong(1);
        }
      }
      for (int i : List.of(0, 1, 2, 3, 4)) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO reading (council_id, device_pk, ts, received_at, surface_temp_c)"
                    + " VALUES (1, ?, now() - make_interval(mins => ?), now(), ?)")) {
          ps.setLong(1, devicePk);
          ps.setInt(2, 120 - i * 30);
          ps.setDouble(3, 6.0 - i);
          ps.executeUpdate();
        }
      }
    }
  }
}
