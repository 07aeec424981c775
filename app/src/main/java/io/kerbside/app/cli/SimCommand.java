package io.kerbside.app.cli;

import io.kerbside.core.DeviceKind;
import io.kerbside.core.config.ConfigException;
import io.kerbside.core.config.Secret;
import io.kerbside.core.config.Settings;
import io.kerbside.ingest.IngestConfig;
import io.kerbside.sim.Checkpoints;
import io.kerbside.sim.ConditionType;
import io.kerbside.sim.ConnectionMode;
import io.kerbside.sim.DailyPlanFetch;
import io.kerbside.sim.FaultType;
import io.kerbside.sim.OutputFormat;
import io.kerbside.sim.PlannedCollections;
import io.kerbside.sim.PublishOptions;
import io.kerbside.sim.Scenario;
import io.kerbside.sim.SimConfig;
import io.kerbside.sim.SimReport;
import io.kerbside.sim.Simulation;
import io.kerbside.sim.SimulationException;
import io.kerbside.sim.TownCentre;
import io.kerbside.sim.TownExport;
import io.kerbside.sim.model.ModelSettings;
import io.kerbside.sim.plan.PlanApiException;
import io.kerbside.sim.plan.PlanFileException;
import io.kerbside.sim.plan.PlansApiClient;
import io.kerbside.sim.town.Town;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Simulates a town of street sensors (bins, streetlights, pavement sections) publishing "
          + "readings to MQTT, with faults injected on purpose and written to a ground-truth file.",
      "",
      "Scenarios:",
      "  quiet-day       mild dry day, no faults: Kerbside should raise nothing",
      "  winter-night    cold clear night after evening rain: icy pavements, lamp failures",
      "  collection-day  bins filling through the day and emptied by the collection rounds",
      "  chaos           every delivery fault (duplicates, out of order, skewed clocks, malformed",
      "                  payloads, floods) and every device fault, often",
      "  multi-day       four days with something planned for every rule to find",
      "  collection-week a week of bins filling and emptied by their rounds (or by plans)",
      "  benchmark       readings as fast as possible with per-device sequence numbers",
      "",
      "With --collections-from, bins are emptied only as the named collection plans say (the CSV"
          + " or GeoJSON files kerbside plan collections writes), at their stops' ETAs. With"
          + " --collections-api, as the plans Kerbside's API gives for each simulated day, fetched"
          + " at --plans-at with the API key in "
          + SimCommand.API_KEY_ENV
          + ".",
      "",
      "The broker defaults to KERBSIDE_MQTT_URL, KERBSIDE_MQTT_USERNAME and"
          + " KERBSIDE_MQTT_PASSWORD.",
      ""
    },
    footer = {
      "",
      "Examples:",
      "  kerbside sim --devices 1000 --scenario winter-night --speed 60 --duration 10m --qos 1",
      "  kerbside sim --devices 200 --scenario chaos --speed 0 --ground-truth chaos.jsonl",
      "  kerbside sim --devices 5000 --export-town town.geojson",
      "  kerbside sim --benchmark --devices 10000 --duration 1d --shared-connections 8",
      "  kerbside sim --scenario collection-week --bins-only --start 2026-11-30T05:00 \\",
      "      --collections-from plans/plan-default-2026-11-30-daily.csv",
      "  KERBSIDE_SIM_API_KEY=... kerbside sim --scenario collection-week \\",
      "      --bins-only --start 2026-11-30T04:00 --plans-at 05:00 \\",
      "      --collections-api http://127.0.0.1:8080",
      "",
      "Exit status: 0 when every message was published, 1 when some failed, 2 for invalid "
          + "options or plans (also plans the API cannot give), 3 when the broker cannot be"
          + " reached."
    })
final class SimCommand implements Callable<Integer> {
  private static final Pattern SHORT_DURATION =
      Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
  private static final Duration SHUTDOWN_PATIENCE = Duration.ofSeconds(20);

  /** The environment variable that holds the key {@code --collections-api} sends. */
  static final String API_KEY_ENV = "KERBSIDE_SIM_API_KEY";

  /** How long to wait for a day's plans; the API may plan the day on demand first. */
  private static final Duration PLANS_API_TIMEOUT = Duration.ofMinutes(3);

  private static final LocalTime DEFAULT_PLANS_AT = LocalTime.of(5, 0);

  @Option(
      names = "--devices",
      defaultValue = "1000",
      description = "Number of simulated assets, 1 to 100000. Default: ${DEFAULT-VALUE}.")
  int devices;

  @Option(
      names = "--scenario",
      defaultValue = "quiet-day",
      paramLabel = "NAME",
      description =
          "quiet-day, winter-night, collection-day, chaos, multi-day, collection-week or"
              + " benchmark. Default: ${DEFAULT-VALUE}.")
  String scenario;

  @Option(names = "--benchmark", description = "Same as --scenario benchmark.")
  boolean benchmark;

  @Option(
      names = "--speed",
      defaultValue = "60",
      description =
          "Simulated seconds per real second: 1 = real time, 60 = a simulated minute per second, "
              + "0 = as fast as possible. Default: ${DEFAULT-VALUE}.")
  double speed;

  @Option(
      names = "--duration",
      paramLabel = "TIME",
      description =
          "Simulated time to cover: 90s, 10m, 2h, 1d, 1h30m or ISO-8601 (PT2H). Default: the "
              + "scenario's (quiet-day 1d, winter-night 16h, collection-day 1d, chaos 2h, "
              + "benchmark 1h).")
  String duration;

  @Option(
      names = "--start",
      paramLabel = "TIME",
      description =
          "Simulated start: 2026-01-14T16:00:00Z, or 2026-01-14T16:00 or 2026-01-14 in the "
              + "town's time zone. Default: the latest suitable moment (16:00 on a winter day "
              + "for winter-night, 05:00 for collection-day) at which no reading is stamped later "
              + "than the clock that sends it.")
  String start;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description =
          "Makes the run reproducible: same seed, same town, same faults. Default:"
              + " ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--qos",
      defaultValue = "1",
      description = "MQTT QoS, 0 or 1. Default: ${DEFAULT-VALUE}.")
  int qos;

  @Option(
      names = "--connections",
      defaultValue = "shared",
      paramLabel = "MODE",
      description =
          "shared (a few connections, like a gateway) or per-device (one each, like cellular "
              + "devices; three threads per device). Default: ${DEFAULT-VALUE}.")
  String connections;

  @Option(
      names = "--shared-connections",
      defaultValue = "4",
      paramLabel = "N",
      description = "Connections in shared mode, 1 to 64. Default: ${DEFAULT-VALUE}.")
  int sharedConnections;

  @Option(
      names = "--rate",
      defaultValue = "0",
      paramLabel = "MSG/S",
      description =
          "Most messages per second over all connections; 0 = unlimited. Default:"
              + " ${DEFAULT-VALUE}.")
  double rate;

  @Option(
      names = "--format",
      defaultValue = "native",
      description =
          "Payload format: native, ttn (The Things Stack v3 uplinks), chirpstack (ChirpStack v4"
              + " events) or senml. Default: ${DEFAULT-VALUE}.")
  String format;

  @Option(
      names = "--topic-prefix",
      defaultValue = "kerbside",
      paramLabel = "PREFIX",
      description = "Topics are PREFIX/<kind>/<device-id>. Default: ${DEFAULT-VALUE}.")
  String topicPrefix;

  @Option(
      names = "--client-id-prefix",
      paramLabel = "PREFIX",
      description =
          "MQTT client ids are PREFIX-<n> or PREFIX-<device-id>. Default: kerbside-sim-<pid>.")
  String clientIdPrefix;

  @Option(
      names = "--ground-truth",
      paramLabel = "FILE",
      description = "Write every injected fault and every condition to FILE (JSON Lines).")
  Path groundTruth;

  @Option(
      names = "--export-town",
      paramLabel = "FILE",
      description =
          "Write the town's assets to FILE.csv or FILE.geojson and exit without publishing.")
  Path exportTown;

  @Option(
      names = "--collections-from",
      paramLabel = "FILE",
      description =
          "Empty bins only as this collection plan says, at its stops' ETAs, instead of on their"
              + " fixed rounds: a .csv or .geojson written by kerbside plan collections."
              + " Repeatable (one plan a file). A file that cannot be read, or is another"
              + " council's or another town's plan, stops the command.")
  java.util.List<Path> collectionsFrom;

  @Option(
      names = "--collections-api",
      paramLabel = "URL",
      description =
          "Empty bins only as the plans of Kerbside's API at URL say (http://127.0.0.1:8080):"
              + " at --plans-at of each simulated day, GET /api/v1/plans/collections?date=<day>"
              + " with the API key (a viewer key of --council) in the environment variable "
              + API_KEY_ENV
              + ", then each planned bin is emptied at its stop's ETA. An API that cannot be"
              + " reached, refuses the key or answers with an error stops the command; never"
              + " with --collections-from.")
  String collectionsApi;

  @Option(
      names = "--plans-at",
      paramLabel = "HH:MM",
      description =
          "With --collections-api, the local time of each simulated day at which its plans are"
              + " fetched, before its rounds start (a run starting later fetches its first day's"
              + " at the start). Default: 05:00.")
  String plansAt;

  @Option(
      names = "--council",
      defaultValue = "default",
      description =
          "The council whose plans --collections-from or --collections-api reads; others are"
              + " refused. Default: ${DEFAULT-VALUE}.")
  String council;

  /** The plans API of {@code --collections-api}, once {@link #config} has read the options. */
  private PlansApiClient plansApi;

  private LocalTime plansAtTime = DEFAULT_PLANS_AT;

  @Option(
      names = "--bins-only",
      description = "Simulate only the town's bins (about a third of --devices).")
  boolean binsOnly;

  @Option(
      names = "--bin-usage-spread",
      paramLabel = "SIGMA",
      description =
          "How unevenly the bins of a street are used: the standard deviation of the log of each"
              + " bin's own fill-rate factor, 0 to 2, the town's rubbish unchanged. Default: 0.2.")
  double binUsageSpread = ModelSettings.DEFAULT_BIN_USAGE_SPREAD;

  @Option(
      names = "--centre",
      paramLabel = "LAT,LON",
      description = "Centre of the town in degrees. Default: Cambridge, 52.2053,0.1218.")
  String centre;

  @Option(
      names = "--zone",
      paramLabel = "ZONE",
      description = "The town's time zone. Default: Europe/London.")
  String zone;

  @Option(
      names = "--mqtt-url",
      paramLabel = "URL",
      description = "Broker URL. Default: KERBSIDE_MQTT_URL, else tcp://127.0.0.1:1883.")
  String mqttUrl;

  @Option(
      names = "--mqtt-username",
      paramLabel = "USER",
      description = "Broker login. Default: KERBSIDE_MQTT_USERNAME.")
  String mqttUsername;

  @Option(
      names = "--mqtt-password",
      arity = "0..1",
      interactive = true,
      paramLabel = "PASSWORD",
      description =
          "Broker password; prompts when given without a value. Default: KERBSIDE_MQTT_PASSWORD.")
  char[] mqttPassword;

  @Override
  public Integer call() throws Exception {
    SimConfig config = config(Settings.fromEnvironment());
    Simulation sim;
    try {
      sim = Simulation.create(config);
    } catch (PlanFileException e) {
      throw new ConfigException("--collections-from " + e.getMessage());
    }
    Town town = sim.town();
    PrintStream out = System.out;
    if (exportTown != null) {
      try {
        TownExport.write(town, exportTown);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--export-town: " + e.getMessage());
      } catch (UncheckedIOException e) {
        throw new ConfigException(e.getMessage() + ": " + e.getCause().getMessage());
      }
      out.println(
          "wrote " + describe(town) + " around " + town.centre().name() + " to " + exportTown);
      return 0;
    }
    out.println(plan(sim));
    warnAboutTimestamps(sim, out);
    Checkpoints checkpoints = Checkpoints.NONE;
    if (plansApi != null) {
      out.println(
          "collections from the plans of "
              + plansApi.baseUrl()
              + " for council "
              + council
              + ", fetched each day at "
              + plansAtTime);
      checkpoints =
          new DailyPlanFetch(
              plansApi,
              config.collections(),
              plansAtTime,
              config.centre().zone(),
              sim.start(),
              sim.end(),
              out::println);
    }

    SimProgressPrinter progress =
        new SimProgressPrinter(System.err, System.console() != null, config.centre().zone());
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              sim.stop();
              try {
                finished.await(SHUTDOWN_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "kerbside-sim-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      SimReport report = sim.run(progress, checkpoints);
      progress.finish();
      out.print(summary(report, config));
      out.flush();
      return report.failed() > 0 ? 1 : 0;
    } catch (SimulationException e) {
      progress.finish();
      System.err.println("kerbside: " + e.getMessage());
      return 3;
    } catch (PlanApiException e) {
      progress.finish();
      out.flush();
      System.err.println(
          "kerbside: --collections-api "
              + e.getMessage()
              + (e.status() == 401 || e.status() == 403
                  ? " (the key is read from " + API_KEY_ENV + ")"
                  : "")
              + "; the simulation stopped (no falling back to the fixed rounds)");
      return 2;
    } catch (PlanFileException e) {
      progress.finish();
      out.flush();
      System.err.println(
          "kerbside: --collections-api "
              + e.getMessage()
              + "; the simulation stopped (no falling back to the fixed rounds)");
      return 2;
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook is running and waits for the summary above.
      }
    }
  }

  SimConfig config(Settings settings) {
    Scenario chosen =
        benchmark
            ? Scenario.BENCHMARK
            : Scenario.fromCode(scenario)
                .orElseThrow(
                    () ->
                        new ConfigException(
                            "--scenario must be one of "
                                + Arrays.stream(Scenario.values())
                                    .map(Scenario::code)
                                    .collect(Collectors.joining(", "))
                                + ", got '"
                                + scenario
                                + "'"));
    ConnectionMode mode =
        ConnectionMode.fromCode(connections)
            .orElseThrow(
                () ->
                    new ConfigException(
                        "--connections must be shared or per-device, got '" + connections + "'"));
    OutputFormat outputFormat =
        OutputFormat.fromCode(format)
            .orElseThrow(
                () ->
                    new ConfigException(
                        "--format must be one of "
                            + Arrays.stream(OutputFormat.values())
                                .map(OutputFormat::code)
                                .collect(Collectors.joining(", "))
                            + ", got '"
                            + format
                            + "'"));
    TownCentre townCentre = centre(centre, zone);
    PlannedCollections planned = null;
    boolean fromFiles = collectionsFrom != null && !collectionsFrom.isEmpty();
    if (fromFiles && collectionsApi != null) {
      throw new ConfigException(
          "--collections-from and --collections-api cannot be combined: take the collections"
              + " from plan files or from the API");
    }
    if (plansAt != null && collectionsApi == null) {
      throw new ConfigException("--plans-at applies only with --collections-api");
    }
    if (collectionsApi != null && chosen == Scenario.BENCHMARK) {
      throw new ConfigException(
          "--collections-api does not apply to the benchmark scenario, which simulates no bins");
    }
    if (collectionsApi != null) {
      plansAtTime = plansAt == null ? DEFAULT_PLANS_AT : parsePlansAt(plansAt);
      Secret key = settings.secret(API_KEY_ENV);
      if (key.isEmpty()) {
        throw new ConfigException(
            "--collections-api needs an API key (a viewer key of council "
                + council
                + ") in the environment variable "
                + API_KEY_ENV);
      }
      try {
        plansApi = new PlansApiClient(collectionsApi, key, PLANS_API_TIMEOUT);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("--collections-api " + e.getMessage());
      }
      planned = new PlannedCollections(council);
    }
    if (fromFiles) {
      try {
        planned = PlannedCollections.read(council, collectionsFrom);
      } catch (PlanFileException e) {
        throw new ConfigException("--collections-from " + e.getMessage());
      }
    }
    try {
      PublishOptions.Builder publish =
          PublishOptions.builder()
              .brokerUrl(
                  mqttUrl != null
                      ? mqttUrl
                      : settings.string(IngestConfig.MQTT_URL, "tcp://127.0.0.1:1883"))
              .credentials(
                  mqttUsername != null
                      ? mqttUsername
                      : settings.string(IngestConfig.MQTT_USERNAME, ""),
                  mqttPassword != null
                      ? Secret.of(new String(mqttPassword))
                      : settings.secret(IngestConfig.MQTT_PASSWORD))
              .qos(qos)
              .connections(mode)
              .sharedConnections(sharedConnections)
              .maxRatePerSecond(rate)
              .topicPrefix(topicPrefix)
              .format(outputFormat);
      if (clientIdPrefix != null) {
        publish.clientIdPrefix(clientIdPrefix);
      }
      return SimConfig.builder()
          .devices(devices)
          .scenario(chosen)
          .seed(seed)
          .speed(speed)
          .duration(duration == null ? null : parseDuration(duration))
          .start(start == null ? null : parseStart(start, townCentre.zone()))
          .publish(publish.build())
          .groundTruthFile(groundTruth)
          .centre(townCentre)
          .binsOnly(binsOnly)
          .collections(planned)
          .binUsageSpread(binUsageSpread)
          .build();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /** A local time of day, {@code 05:00}. */
  static LocalTime parsePlansAt(String text) {
    try {
      return LocalTime.parse(text.trim());
    } catch (DateTimeException e) {
      throw new ConfigException("--plans-at must be a time of day like 05:00, got '" + text + "'");
    }
  }

  /** {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d}, {@code 1h30m} or ISO-8601. */
  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.startsWith("p")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
      Matcher m = SHORT_DURATION.matcher(t);
      if (!t.isEmpty() && m.matches()) {
        Duration d = Duration.ZERO;
        d = d.plusDays(group(m, 1)).plusHours(group(m, 2)).plusMinutes(group(m, 3));
        return d.plusSeconds(group(m, 4));
      }
    } catch (DateTimeException | ArithmeticException e) {
      // Reported below with the accepted forms.
    }
    throw new ConfigException(
        "--duration must look like 90s, 10m, 2h, 1d, 1h30m or PT2H, got '" + text + "'");
  }

  private static long group(Matcher m, int i) {
    return m.group(i) == null ? 0 : Long.parseLong(m.group(i));
  }

  /** An instant with an offset, or a local date-time or date in {@code zone}. */
  static Instant parseStart(String text, ZoneId zone) {
    String t = text.trim();
    try {
      return OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeException e) {
      // Not with an offset; try local forms.
    }
    try {
      return LocalDateTime.parse(t).atZone(zone).toInstant();
    } catch (DateTimeException e) {
      // Not a local date-time; try a date.
    }
    try {
      return LocalDate.parse(t).atStartOfDay(zone).toInstant();
    } catch (DateTimeException e) {
      throw new ConfigException(
          "--start must look like 2026-01-14T16:00:00Z, 2026-01-14T16:00 or 2026-01-14, got '"
              + text
              + "'");
    }
  }

  static TownCentre centre(String latLon, String zoneId) {
    ZoneId z;
    try {
      z = zoneId == null ? TownCentre.DEFAULT.zone() : ZoneId.of(zoneId);
    } catch (DateTimeException e) {
      throw new ConfigException(
          "--zone must be a time zone such as Europe/London, got '" + zoneId + "'");
    }
    if (latLon == null) {
      return zoneId == null
          ? TownCentre.DEFAULT
          : new TownCentre(
              TownCentre.DEFAULT.name(),
              TownCentre.DEFAULT.latitude(),
              TownCentre.DEFAULT.longitude(),
              z);
    }
    String[] parts = latLon.split(",");
    try {
      if (parts.length == 2) {
        double lat = Double.parseDouble(parts[0].trim());
        double lon = Double.parseDouble(parts[1].trim());
        return new TownCentre(parts[0].trim() + "," + parts[1].trim(), lat, lon, z);
      }
    } catch (NumberFormatException e) {
      // Reported below.
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--centre: " + e.getMessage());
    }
    throw new ConfigException("--centre must look like 52.2053,0.1218, got '" + latLon + "'");
  }

  private static String describe(Town town) {
    return count(town.size(), "asset")
        + " ("
        + count(town.count(DeviceKind.BIN), "bin")
        + ", "
        + count(town.count(DeviceKind.STREETLIGHT), "streetlight")
        + ", "
        + count(town.count(DeviceKind.PAVEMENT), "pavement section")
        + ")";
  }

  private static String count(long n, String noun) {
    return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
  }

  private static String plan(Simulation sim) {
    SimConfig c = sim.config();
    DateTimeFormatter local =
        DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm", Locale.ROOT).withZone(c.centre().zone());
    PublishOptions p = c.publish();
    String connectionText =
        p.connections() == ConnectionMode.SHARED
            ? p.sharedConnections() + " shared connection" + (p.sharedConnections() == 1 ? "" : "s")
            : "one connection per device";
    String speedText = c.speed() == 0 ? "as fast as possible" : "at " + number(c.speed()) + "x";
    return String.format(
        Locale.ROOT,
        "sim %s - %s around %s, seed %d%n"
            + "simulated %s to %s (%s) %s%n"
            + "publishing %s to %s/<kind>/<id> on %s, QoS %d, %s%s%n",
        c.scenario().code(),
        describe(sim.town()),
        c.centre().name(),
        c.seed(),
        local.format(sim.start()),
        local.format(sim.end()),
        c.centre().zone().getId(),
        speedText,
        p.format().code(),
        p.topicPrefix(),
        p.brokerUrl(),
        p.qos(),
        connectionText,
        p.maxRatePerSecond() > 0 ? ", at most " + number(p.maxRatePerSecond()) + " msg/s" : "");
  }

  private static void warnAboutTimestamps(Simulation sim, PrintStream out) {
    SimConfig c = sim.config();
    if (c.start() == null || c.scenario() == Scenario.BENCHMARK) {
      return;
    }
    Instant now = Instant.now();
    Duration realDuration =
        c.speed() == 0
            ? Duration.ZERO
            : Duration.ofMillis((long) (c.duration().toMillis() / c.speed()));
    if (sim.end().isAfter(now.plus(realDuration).plusSeconds(300))) {
      out.println(
          "note: readings stamped more than 5 minutes after the wall clock will be rejected by "
              + "Kerbside as future timestamps; leave out --start for a start that avoids them");
    }
    if (sim.start().isBefore(now.minus(Duration.ofDays(395)))) {
      out.println(
          "note: readings older than Kerbside's retention (KERBSIDE_RETENTION_DAYS, 395 days by "
              + "default) are rejected as too old");
    }
  }

  static String summary(SimReport r, SimConfig c) {
    StringBuilder sb = new StringBuilder();
    double seconds = r.elapsed().toMillis() / 1000.0;
    // Only the benchmark publishes again after a lost connection; its failures are final.
    boolean resends = r.scenario() == Scenario.BENCHMARK || r.resent() > 0;
    sb.append(
        String.format(
            Locale.ROOT,
            "%s: sent %,d messages in %.1f s (%,.0f/s), %s%,d failed%s%s%n",
            r.scenario().code(),
            r.sent(),
            seconds,
            r.ratePerSecond(),
            resends
                ? String.format(Locale.ROOT, "%,d re-sent after a lost connection, ", r.resent())
                : "",
            r.failed(),
            resends ? " for good" : "",
            r.stoppedEarly() ? ", stopped early at " + r.simulatedEnd() : ""));
    long rejected = r.expectedRejections().values().stream().mapToLong(Long::longValue).sum();
    sb.append(
        String.format(
            Locale.ROOT,
            "expected in Kerbside: %,d readings from %,d devices, %,d dead letters%s%n",
            r.expectedReadings(),
            r.perDevice().size(),
            rejected,
            rejected == 0 ? "" : " (" + counts(new TreeMap<>(r.expectedRejections())) + ")"));
    Map<String, Integer> faults = new TreeMap<>();
    for (Map.Entry<FaultType, Integer> e : r.faultsInjected().entrySet()) {
      faults.put(e.getKey().code(), e.getValue());
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "faults injected: %s%n",
            faults.isEmpty() ? "none" : r.totalFaults() + " (" + counts(faults) + ")"));
    Map<String, Integer> conditions = new TreeMap<>();
    for (Map.Entry<ConditionType, Integer> e : r.conditions().entrySet()) {
      conditions.put(e.getKey().code(), e.getValue());
    }
    sb.append(
        String.format(
            Locale.ROOT, "conditions: %s%n", conditions.isEmpty() ? "none" : counts(conditions)));
    if (c.groundTruthFile() != null) {
      sb.append("ground truth: ").append(c.groundTruthFile()).append(System.lineSeparator());
    }
    return sb.toString();
  }

  private static String counts(Map<String, ? extends Number> counts) {
    StringJoiner j = new StringJoiner(", ");
    counts.forEach((k, v) -> j.add(k + " " + String.format(Locale.ROOT, "%,d", v.longValue())));
    return j.toString();
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
