package io.kerbside.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Settings;
import io.kerbside.sim.ConnectionMode;
import io.kerbside.sim.OutputFormat;
import io.kerbside.sim.Scenario;
import io.kerbside.sim.SimConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SimCommandTest {
  private static final Settings ENV =
      Settings.from(
          Map.of(
              "KERBSIDE_MQTT_URL", "ssl://mqtt.example:8883",
              "KERBSIDE_MQTT_USERNAME", "sim",
              "KERBSIDE_MQTT_PASSWORD", "s3cret-from-env"));

  private static SimConfig parse(String... args) {
    SimCommand command = new SimCommand();
    new CommandLine(command).parseArgs(args);
    return command.config(ENV);
  }

  @Test
  void readsTheExampleOfTheIssue() {
    SimConfig c =
        parse(
            "--devices",
            "1000",
            "--scenario",
            "winter-night",
            "--speed",
            "60",
            "--duration",
            "10m",
            "--qos",
            "1");

    assertThat(c.devices()).isEqualTo(1000);
    assertThat(c.scenario()).isEqualTo(Scenario.WINTER_NIGHT);
    assertThat(c.speed()).isEqualTo(60);
    assertThat(c.duration()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.publish().qos()).isEqualTo(1);
  }

  @Test
  void takesTheBrokerFromTheEnvironmentAndNeverPrintsThePassword() {
    SimConfig c = parse();

    assertThat(c.publish().brokerUrl()).isEqualTo("ssl://mqtt.example:8883");
    assertThat(c.publish().username()).isEqualTo("sim");
    assertThat(c.publish().password().reveal()).isEqualTo("s3cret-from-env");
    assertThat(c.toString()).doesNotContain("s3cret").contains("<masked>");
  }

  @Test
  void optionsOverrideTheEnvironment() {
    SimConfig c =
        parse(
            "--mqtt-url",
            "tcp://127.0.0.1:18830",
            "--connections",
            "per-device",
            "--topic-prefix",
            "demo/kerbside",
            "--benchmark");

    assertThat(c.publish().brokerUrl()).isEqualTo("tcp://127.0.0.1:18830");
    assertThat(c.publish().connections()).isEqualTo(ConnectionMode.PER_DEVICE);
    assertThat(c.publish().topicPrefix()).isEqualTo("demo/kerbside");
    assertThat(c.scenario()).isEqualTo(Scenario.BENCHMARK);
  }

  @Test
  void usesTheScenariosDurationWhenNoneIsGiven() {
    assertThat(parse("--scenario", "chaos").duration()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void readsDurationsShortAndIso() {
    assertThat(SimCommand.parseDuration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(SimCommand.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
    assertThat(SimCommand.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(SimCommand.parseDuration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(SimCommand.parseDuration("PT10M")).isEqualTo(Duration.ofMinutes(10));
    assertThatThrownBy(() -> SimCommand.parseDuration("ten minutes"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--duration");
  }

  @Test
  void readsStartsWithAnOffsetOrInTheTownsTimeZone() {
    ZoneId london = ZoneId.of("Europe/London");

    assertThat(SimCommand.parseStart("2026-07-14T16:00:00Z", london))
        .isEqualTo(Instant.parse("2026-07-14T16:00:00Z"));
    assertThat(SimCommand.parseStart("2026-07-14T16:00", london))
        .isEqualTo(Instant.parse("2026-07-14T15:00:00Z"));
    assertThat(SimCommand.parseStart("2026-01-14", london))
        .isEqualTo(Instant.parse("2026-01-14T00:00:00Z"));
  }

  @Test
  void namesTheOptionThatIsWrong() {
    assertThatThrownBy(() -> parse("--scenario", "storm"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "--scenario must be one of quiet-day, winter-night, collection-day, chaos, multi-day,"
                + " collection-week,"
                + " benchmark, got 'storm'");
    assertThatThrownBy(() -> parse("--devices", "0"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("devices must be between 1 and 100000, got 0");
    assertThatThrownBy(() -> parse("--qos", "2"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("qos must be 0 or 1");
    assertThatThrownBy(() -> parse("--centre", "north"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--centre");
    assertThatThrownBy(() -> parse("--format", "lwm2m"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--format must be one of native, ttn, chirpstack, senml, got 'lwm2m'");
  }

  @Test
  void readsEveryPayloadFormat() {
    assertThat(parse().publish().format()).isEqualTo(OutputFormat.NATIVE);
    assertThat(parse("--format", "ttn").publish().format()).isEqualTo(OutputFormat.TTN);
    assertThat(parse("--format", "chirpstack").publish().format())
        .isEqualTo(OutputFormat.CHIRPSTACK);
    assertThat(parse("--format", "SenML").publish().format()).isEqualTo(OutputFormat.SENML);
  }

  @Test
  void describesEveryOptionInItsHelp() {
    StringWriter out = new StringWriter();
    new CommandLine(new KerbsideCli()).setOut(new PrintWriter(out)).execute("sim", "--help");

    assertThat(out.toString())
        .contains(
            "--devices",
            "--scenario",
            "--speed",
            "--duration",
            "--start",
            "--seed",
            "--qos",
            "--connections",
            "--shared-connections",
            "--rate",
            "--format",
            "--topic-prefix",
            "--ground-truth",
            "--export-town",
            "--mqtt-url",
            "winter-night",
            "Examples:");
  }

  private static final String PLAN_CSV =
      "plan_id,council,date,round,stop,vehicle,route_order,eta,asset_ref,name,street,ward,"
          + "latitude,longitude,litres,predicted_fill_pct,reasons,status,emptied_at,emptied_by\n"
          + "3,default,2026-11-30,daily,1,rcv-1,1,2026-11-30T06:12:00Z,MAR/BIN/00001,,High Street,"
          + "Market,52.2,0.12,190.0,81.0,predicted-fill,planned,,\n";

  @Test
  void takesTheBinsUsageSpreadAndRefusesOneOutOfRangeNamingIt() throws Exception {
    assertThat(parse().binUsageSpread()).isEqualTo(0.2);
    assertThat(parse("--bin-usage-spread", "0.8").binUsageSpread()).isEqualTo(0.8);
    assertThatThrownBy(() -> parse("--bin-usage-spread", "3"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("the bins' usage spread must be between 0 and 2.0, got 3.0");
  }

  @Test
  void takesCollectionsFromAPlanFileAndRefusesAnotherCouncilsPlan(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path plan = java.nio.file.Files.writeString(dir.resolve("plan.csv"), PLAN_CSV);
    SimConfig c =
        parse(
            "--scenario", "collection-week", "--bins-only", "--collections-from", plan.toString());
    assertThat(c.binsOnly()).isTrue();
    assertThat(c.collections().collections()).isEqualTo(1);
    assertThat(c.collections().nextAfter("MAR/BIN/00001", Instant.parse("2026-11-30T00:00:00Z")))
        .isEqualTo(Instant.parse("2026-11-30T06:12:00Z"));

    assertThatThrownBy(
            () -> parse("--collections-from", plan.toString(), "--council", "other-town"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "--collections-from "
                + plan
                + ": a plan of council 'default', not of 'other-town'; refusing it (collections"
                + " come from the plans of one council)");
    assertThatThrownBy(() -> parse("--collections-from", dir.resolve("missing.csv").toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing.csv: cannot read the plan file");
  }

  @Test
  void takesCollectionsFromTheApiWithTheKeyFromTheEnvironmentOnly() {
    SimCommand command = new SimCommand();
    new CommandLine(command)
        .parseArgs(
            "--bins-only", "--collections-api", "http://127.0.0.1:8080/", "--plans-at", "04:30");
    SimConfig c = command.config(ENV.with("KERBSIDE_SIM_API_KEY", "ks-viewer-0042"));

    assertThat(c.collections()).isNotNull();
    assertThat(c.collections().council()).isEqualTo("default");
    assertThat(c.collections().collections()).isZero();
    assertThat(c.toString()).doesNotContain("ks-viewer-0042");

    assertThatThrownBy(() -> parse("--collections-api", "http://127.0.0.1:8080"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "--collections-api needs an API key (a viewer key of council default) in the"
                + " environment variable KERBSIDE_SIM_API_KEY");
  }

  @Test
  void refusesTheApiTogetherWithFilesCredentialsInTheUrlAndBadTimes(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path plan = java.nio.file.Files.writeString(dir.resolve("plan.csv"), PLAN_CSV);
    Settings withKey = ENV.with("KERBSIDE_SIM_API_KEY", "ks-viewer-0042");

    assertThatThrownBy(
            () ->
                parse(
                    withKey,
                    "--collections-from",
                    plan.toString(),
                    "--collections-api",
                    "http://127.0.0.1:8080"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--collections-from and --collections-api cannot be combined");
    assertThatThrownBy(
            () -> parse(withKey, "--collections-api", "http://crew:hunter2@127.0.0.1:8080"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--collections-api http://<redacted>@127.0.0.1:8080: credentials")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(
            () -> parse(withKey, "--collections-api", "http://127.0.0.1:8080", "--plans-at", "5am"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--plans-at must be a time of day like 05:00, got '5am'");
    assertThatThrownBy(
            () -> parse(withKey, "--benchmark", "--collections-api", "http://127.0.0.1:8080"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--collections-api does not apply to the benchmark scenario");
    assertThatThrownBy(() -> parse(withKey, "--plans-at", "05:00"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--plans-at applies only with --collections-api");
  }

  private static SimConfig parse(Settings settings, String... args) {
    SimCommand command = new SimCommand();
    new CommandLine(command).parseArgs(args);
    return command.config(settings);
  }
}
