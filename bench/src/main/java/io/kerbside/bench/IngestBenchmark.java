package io.kerbside.bench;

import static io.kerbside.bench.report.Figures.count;
import static io.kerbside.bench.report.Figures.duration;
import static io.kerbside.bench.report.Figures.megabytes;
import static io.kerbside.bench.report.Figures.multiple;
import static io.kerbside.bench.report.Figures.percent;
import static io.kerbside.bench.report.Figures.rate;
import static io.kerbside.bench.report.Figures.seconds;

import io.kerbside.bench.db.ScratchDatabase;
import io.kerbside.bench.db.ScratchDatabase.StoredReadings;
import io.kerbside.bench.metrics.HistogramQuantiles;
import io.kerbside.bench.metrics.PrometheusScrape;
import io.kerbside.bench.mqtt.Broker;
import io.kerbside.bench.mqtt.BrokerStoreWatch;
import io.kerbside.bench.process.CpuWindow;
import io.kerbside.bench.process.IngestChild;
import io.kerbside.bench.process.IngestWatch;
import io.kerbside.bench.process.ListeningProcess;
import io.kerbside.bench.process.PostgresCluster;
import io.kerbside.bench.process.ProcStats;
import io.kerbside.bench.reference.ArrivalCounter;
import io.kerbside.bench.reference.CountingChild;
import io.kerbside.bench.reference.NaiveJdbcBridge;
import io.kerbside.bench.reference.NodeRedFlow;
import io.kerbside.bench.report.BenchmarkReport;
import io.kerbside.bench.report.Figures;
import io.kerbside.bench.report.Runs;
import io.kerbside.bench.report.Verdict;
import io.kerbside.sim.load.LoadPublisher;
import io.kerbside.sim.load.LoadReport;
import io.kerbside.sim.load.TimestampFormat;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Measures Kerbside's ingest on this machine against three references measured in the same run, and
 * prints a report (also written to {@code bench-results/ingest-<time>.txt}):
 *
 * <ol>
 *   <li>(a) a Paho subscriber that only counts, as a child JVM: the ceiling of the broker and the
 *       MQTT client;
 *   <li>(b) a naive bridge that inserts one row per message with autocommit;
 *   <li>(c) Node-RED with an MQTT-in node and a pg pool, when node and an installed Node-RED are
 *       there;
 *   <li>the real ingest, run from the distribution jar as a child JVM with {@code -Xmx256m} on a
 *       fresh database, once per {@code --connections} value: at full speed, with loss and
 *       duplicates checked in the database, then publish-to-commit latency at half the rate it
 *       sustained.
 * </ol>
 *
 * <p>Every consumer is warmed up, then each step runs {@code --repeat} times; the report gives each
 * run, the medians, and CPU seconds per 100,000 readings of each consumer process (from {@code
 * /proc}) and of the database cluster. Figures are printed, never asserted; the exit status is
 * non-zero only when the run itself fails (a service is missing, the child dies, a step stalls).
 * See docs/benchmarks.md.
 */
@Command(
    name = "ingest-benchmark",
    sortOptions = false,
    description = {
      "Benchmarks Kerbside's MQTT ingest against a counting subscriber, a naive JDBC bridge and"
          + " Node-RED.",
      "Everything runs on this machine; see docs/benchmarks.md for what each figure means."
    })
public final class IngestBenchmark implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(IngestBenchmark.class);
  private static final String CHILD_HEAP = "-Xmx256m";
  private static final double HEAP_TARGET_BYTES = 256.0 * 1024 * 1024;

  /** Share of (a) in a full run (1,000,000 readings or more), and in a shorter run. */
  private static final double SHARE_OF_A_TARGET_FULL = 0.90;

  private static final double SHARE_OF_A_TARGET_SHORT = 0.80;
  private static final long FULL_RUN_READINGS = 1_000_000;
  private static final double MULTIPLE_OF_B_TARGET = 5;
  private static final double P99_TARGET_SECONDS = 0.5;
  private static final double MULTIPLE_OF_C_TARGET = 5;
  private static final double CPU_OF_A_TARGET = 1.5;

  /** CPU figures are per this many readings. */
  private static final double PER_READINGS = 100_000;

  private static final long DEFAULT_MAX_WARMUP = 100_000;
  private static final Pattern JDBC_HOST =
      Pattern.compile("jdbc:postgresql://(\\[[^]]+\\]|[^/:?]+)(?::(\\d+))?");

  /** Above this, a step's broker backlog is reported as a likely limit of the step. */
  private static final long LARGE_BACKLOG_BYTES = 64L << 20;

  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final Set<String> SETTINGS_OWNED_BY_THE_BENCHMARK =
      Set.of(
          "KERBSIDE_DB_URL",
          "KERBSIDE_DB_USER",
          "KERBSIDE_DB_PASSWORD",
          "KERBSIDE_MQTT_URL",
          "KERBSIDE_MQTT_CLIENT_ID",
          "KERBSIDE_HTTP_HOST",
          "KERBSIDE_HTTP_PORT",
          "KERBSIDE_INGEST_SUBSCRIPTIONS",
          "KERBSIDE_INGEST_CONNECTIONS");

  @Spec CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @Option(
      names = "--mqtt-url",
      defaultValue = "tcp://127.0.0.1:18830",
      description = "Broker for every step. Default: ${DEFAULT-VALUE} (test services).")
  String mqttUrl;

  @Option(
      names = "--db-url",
      defaultValue = "jdbc:postgresql://127.0.0.1:54317/postgres",
      description =
          "JDBC URL of an existing database on the cluster to use; the run creates and drops its"
              + " own database there. Default: ${DEFAULT-VALUE} (TimescaleDB test service)."
              + " Password, if any: PGPASSWORD.")
  String dbUrl;

  @Option(
      names = "--db-user",
      defaultValue = "postgres",
      description = "Role that may create databases. Default: ${DEFAULT-VALUE}.")
  String dbUser;

  @Option(
      names = "--readings",
      defaultValue = "1000000",
      description = "Readings published for (a) and for the ingest. Default: ${DEFAULT-VALUE}.")
  long readings;

  @Option(
      names = "--devices",
      defaultValue = "10000",
      description = "Simulated devices the readings are spread over. Default: ${DEFAULT-VALUE}.")
  int devices;

  @Option(
      names = "--naive-readings",
      defaultValue = "50000",
      description = "Readings for the naive bridge (b), which is slow. Default: ${DEFAULT-VALUE}.")
  long naiveReadings;

  @Option(
      names = "--latency-seconds",
      defaultValue = "30",
      description = "Duration of the half-rate latency step. Default: ${DEFAULT-VALUE}.")
  int latencySeconds;

  @Option(
      names = "--publishers",
      defaultValue = "4",
      description = "MQTT connections of the load publisher. Default: ${DEFAULT-VALUE}.")
  int publishers;

  @Option(
      names = "--max-inflight",
      defaultValue = "1000",
      description = "Unconfirmed publishes per connection. Default: ${DEFAULT-VALUE}.")
  int maxInflight;

  @Option(
      names = "--qos",
      defaultValue = "1",
      description = "QoS of the published readings, 0 or 1. Default: ${DEFAULT-VALUE}.")
  int qos;

  @Option(
      names = "--ts-format",
      defaultValue = "iso",
      description = "How readings carry ts: iso (ISO-8601) or epoch-ms. Default: ${DEFAULT-VALUE}.")
  String tsFormat;

  @Option(
      names = "--jar",
      defaultValue = "app/target/kerbside.jar",
      description = "Kerbside distribution jar run as the ingest child. Default: ${DEFAULT-VALUE}.")
  Path jar;

  @Option(
      names = "--repeat",
      defaultValue = "3",
      description =
          "Timed runs of every step; the report gives each run and the median, and compares"
              + " medians. Default: ${DEFAULT-VALUE}.")
  int repeat;

  @Option(
      names = "--warmup-readings",
      defaultValue = "-1",
      description =
          "Readings published to each consumer (the counting subscriber, Node-RED, every ingest"
              + " child) and waited for before its timed runs, 0 for none. Default: half of"
              + " --readings, at most 100000.")
  long warmupReadings;

  @Option(
      names = "--connections",
      split = ",",
      defaultValue = "1,2",
      paramLabel = "N[,N...]",
      description =
          "KERBSIDE_INGEST_CONNECTIONS values to measure, each with its own child and database."
              + " Default: ${DEFAULT-VALUE}.")
  List<Integer> connections;

  @Option(
      names = "--node-red-readings",
      defaultValue = "100000",
      description = "Readings per run of the Node-RED reference (c). Default: ${DEFAULT-VALUE}.")
  long nodeRedReadings;

  @Option(names = "--skip-node-red", description = "Skip the Node-RED reference (c).")
  boolean skipNodeRed;

  @Option(
      names = "--node-red-home",
      defaultValue = "${sys:user.home}/.cache/kerbside-bench/node-red",
      description =
          "Where npm installed bench/node-red/package.json (scripts/bench.sh does). Default:"
              + " ${DEFAULT-VALUE}.")
  Path nodeRedHome;

  @Option(
      names = "--node-red-flow",
      defaultValue = "bench/node-red",
      description = "Directory of the flow (flows.json, settings.js). Default: ${DEFAULT-VALUE}.")
  Path nodeRedFlow;

  @Option(
      names = "--skip-references",
      description = "Skip (a), (b) and (c); measure the ingest only.")
  boolean skipReferences;

  @Option(names = "--keep", description = "Keep the run's database instead of dropping it.")
  boolean keep;

  @Option(
      names = "--topic-root",
      description =
          "Readings go to <root>/<kind>/<device-id>. Default: bench-<run>/kerbside, unique to the"
              + " run, so that other consumers of a shared broker neither receive nor disturb its"
              + " readings; 'kerbside' gives the plain native topics.")
  String topicRoot;

  @Option(
      names = "--child-env",
      paramLabel = "KERBSIDE_X=VALUE",
      description =
          "Extra setting for the ingest child, e.g. KERBSIDE_INGEST_BATCH_SIZE=2000. Repeatable.")
  Map<String, String> childEnv = new LinkedHashMap<>();

  @Option(
      names = "--stall-seconds",
      defaultValue = "60",
      description = "Give up when a step makes no progress this long. Default: ${DEFAULT-VALUE}.")
  int stallSeconds;

  @Option(
      names = "--results-dir",
      defaultValue = "bench-results",
      description = "Where reports and the child's log go. Default: ${DEFAULT-VALUE}.")
  Path resultsDir;

  /** What must be undone however the run ends, including on Ctrl-C. */
  private final Leftovers leftovers = new Leftovers();

  private BrokerStoreWatch brokerStore;

  /** The database cluster's processes, when visible on this machine; else null. */
  private PostgresCluster cluster;

  /** The broker's process, when it listens on this machine and is visible here; else -1. */
  private long brokerPid = -1;

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new IngestBenchmark());
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof BenchmarkException) {
            cmd.getErr().println("ingest benchmark FAILED: " + e.getMessage());
          } else {
            LOG.error("ingest benchmark FAILED", e);
          }
          return 2;
        });
    System.exit(cli.execute(args));
  }

  @Override
  public Integer call() throws Exception {
    validate();
    Instant started = Instant.now();
    long startNanos = System.nanoTime();
    String run = Long.toString(started.getEpochSecond());
    String idPrefix = "kerbside-bench-" + run;
    String root = topicRoot != null ? topicRoot : "bench-" + run + "/kerbside";
    Files.createDirectories(resultsDir);
    String stamp = STAMP.format(started);
    Path reportFile = resultsDir.resolve("ingest-" + stamp + ".txt");
    Runtime.getRuntime().addShutdownHook(new Thread(leftovers::cleanUp, "bench-cleanup"));

    BenchmarkReport report = new BenchmarkReport("Kerbside ingest benchmark");
    report
        .section("Run")
        .line("started", started.truncatedTo(ChronoUnit.SECONDS).toString())
        .line("code", gitDescribe())
        .line("machine", machine())
        .line("java", System.getProperty("java.vm.name") + " " + Runtime.version());

    Broker.Status broker = Broker.status(mqttUrl, idPrefix + "-sys");
    report.line("broker", mqttUrl + " (" + broker.version() + ")");
    brokerPid = localBrokerPid();
    report.line(
        "broker CPU",
        brokerPid < 0
            ? "not measured: no process listening on the broker's port is visible on this machine"
            : "pid " + brokerPid + ", from /proc");
    if (broker.disconnectedSessions() > 0) {
      report.line("offline persistent sessions", count(broker.disconnectedSessions()));
      if (topicRoot != null) {
        report.warning(
            "the broker keeps "
                + broker.disconnectedSessions()
                + " offline persistent sessions; any of them subscribed to "
                + root
                + "/... queues every reading of this run");
      }
    }
    ScratchDatabase db = createDatabase("kerbside_bench_" + run);
    report.line(
        "database",
        io.kerbside.core.config.SafeUrl.of(db.url()) + " (" + db.describeServer() + ")");
    cluster = db.inspectBackend(pid -> PostgresCluster.ofBackend(pid).orElse(null));
    report.line(
        "database CPU",
        cluster == null
            ? "not measured: the database server's processes are not visible on this machine"
            : "postmaster pid "
                + cluster.postmasterPid()
                + " and its children, from /proc (the whole cluster: other users' work counts"
                + " too)");
    if (!skipReferences && db.setting("fsync").equals("off")) {
      report.warning(
          "the cluster runs with fsync=off: a commit costs no disk flush, which flatters the naive"
              + " bridge (b) (one commit per message) far more than Kerbside (one per batch)");
    }
    long warmup = warmupReadings();
    report.line(
        "workload",
        String.format(
            Locale.ROOT,
            "%,d readings over %,d bin devices, QoS %d, %d publisher connections",
            readings,
            devices,
            qos,
            publishers));
    report.line(
        "repeats",
        repeat
            + " timed runs of every step, after a warm-up of "
            + count(warmup)
            + " readings; figures are medians of the runs");
    report.line("topics", root + "/bin/<device-id>, ts " + tsFormat);

    brokerStore = BrokerStoreWatch.start(mqttUrl, idPrefix + "-store");
    List<IngestFigures> ingest = new ArrayList<>();
    StepFigures refA = StepFigures.NONE;
    StepFigures refB = StepFigures.NONE;
    StepFigures refC = StepFigures.NONE;
    try {
      if (!skipReferences) {
        refA =
            countingSubscriber(
                root, idPrefix, warmup, resultsDir.resolve("ingest-" + stamp + "-a.log"), report);
        refB = naiveBridge(root, idPrefix, db, report);
      }
      String noNodeRed = nodeRedUnavailable();
      if (noNodeRed == null) {
        refC =
            nodeRed(
                root,
                idPrefix,
                db,
                warmup,
                resultsDir.resolve("ingest-" + stamp + "-node-red.log"),
                report);
      } else {
        report
            .section("(c) Node-RED: MQTT in -> pg pool, INSERT ... ON CONFLICT DO NOTHING")
            .line("skipped", noNodeRed);
      }
      for (int n : connections) {
        Path childLog = resultsDir.resolve("ingest-" + stamp + "-child-" + n + "c.log");
        ingest.add(measureIngest(n, root, idPrefix, run, warmup, childLog, report));
      }
    } finally {
      brokerStore.close();
      leftovers.cleanUp();
    }
    compare(refA, refB, refC, ingest, report);

    report.section("").line("run time", seconds((System.nanoTime() - startNanos) / 1e9));
    String text = report.render();
    Files.writeString(reportFile, text, StandardCharsets.UTF_8);
    System.out.println();
    System.out.print(text);
    System.out.println();
    System.out.println(
        "Report written to " + reportFile + "; logs in " + resultsDir + "/ingest-" + stamp + "-*");
    return 0;
  }

  /** The comparisons, from medians, and the targets. */
  private void compare(
      StepFigures refA,
      StepFigures refB,
      StepFigures refC,
      List<IngestFigures> ingest,
      BenchmarkReport report) {
    report.section("Comparison (medians of " + repeat + " runs)");
    for (IngestFigures k : ingest) {
      String who = "Kerbside, " + k.connectionsLabel();
      double rate = k.rate().median();
      double cpu = k.cpuPer100k().median();
      report
          .line(
              who,
              rate(rate) + ", CPU per 100k " + seconds(cpu) + ", p99 " + duration(k.p99().median()))
          .line("  vs (a) throughput", percent(rate / refA.rate().median()))
          .line("  vs (b) throughput", multiple(rate / refB.rate().median()))
          .line("  vs (c) Node-RED throughput", multiple(rate / refC.rate().median()))
          .line("  CPU per 100k / (a)'s", multiple(cpu / refA.cpuPer100k().median()))
          .line(
              "  broker CPU per 100k / (a)'s",
              multiple(k.brokerCpuPer100k().median() / refA.brokerCpuPer100k().median()))
          .line("  CPU per 100k / (c)'s", multiple(cpu / refC.cpuPer100k().median()))
          .line(
              "  database CPU per 100k / (c)'s",
              multiple(k.dbCpuPer100k().median() / refC.dbCpuPer100k().median()));
    }
    double ceilingOverC = refA.rate().median() / refC.rate().median();
    report.line(
        "(a) vs (c) throughput",
        multiple(ceilingOverC)
            + " (the most that any consumer can show over (c) here: the broker and the publisher"
            + " limit all of them)");
    if (ingest.size() > 1) {
      IngestFigures first = ingest.get(0);
      for (IngestFigures k : ingest.subList(1, ingest.size())) {
        report
            .line(k.connectionsLabel() + " vs " + first.connectionsLabel(), "")
            .line("  throughput", percent(k.rate().median() / first.rate().median()))
            .line("  CPU per 100k", multiple(k.cpuPer100k().median() / first.cpuPer100k().median()))
            .line(
                "  p99 at half rate",
                duration(k.p99().median()) + " vs " + duration(first.p99().median()));
      }
    }
    for (IngestFigures k : ingest) {
      String tag = " [" + k.connectionsLabel() + "]";
      double rate = k.rate().median();
      double shareOfA = rate / refA.rate().median();
      double multipleOfB = rate / refB.rate().median();
      double multipleOfC = rate / refC.rate().median();
      double cpuOfA = k.cpuPer100k().median() / refA.cpuPer100k().median();
      double p99 = k.p99().median();
      double heap = k.peakHeapBytes().max();
      // warm-up weighs more in a short run: the issue's targets are 90 % full, 80 % short
      double shareTarget =
          readings >= FULL_RUN_READINGS ? SHARE_OF_A_TARGET_FULL : SHARE_OF_A_TARGET_SHORT;
      report
          .target(
              "ingest >= " + Math.round(shareTarget * 100) + " % of (a)" + tag,
              percent(shareOfA),
              verdict(shareOfA, r -> r >= shareTarget))
          .target(
              "ingest >= 5 x (b)" + tag,
              multiple(multipleOfB),
              verdict(multipleOfB, r -> r >= MULTIPLE_OF_B_TARGET))
          .target(
              "ingest >= 5 x Node-RED (c)" + tag,
              multiple(multipleOfC),
              verdict(multipleOfC, r -> r >= MULTIPLE_OF_C_TARGET))
          .target(
              "CPU per 100k <= 1.5 x (a)" + tag,
              multiple(cpuOfA),
              verdict(cpuOfA, r -> r <= CPU_OF_A_TARGET))
          .target("zero loss" + tag, count(k.loss()), Verdict.of(k.loss() == 0))
          .target("zero duplicates" + tag, count(k.duplicates()), Verdict.of(k.duplicates() == 0))
          .target(
              "p99 < 500 ms at half rate" + tag,
              duration(p99),
              verdict(p99, p -> p < P99_TARGET_SECONDS))
          .target(
              "heap < 256 MB" + tag, megabytes(heap), verdict(heap, h -> h < HEAP_TARGET_BYTES));
    }
  }

  /** --warmup-readings, or its default: half of --readings, at most 100,000. */
  private long warmupReadings() {
    return warmupReadings >= 0 ? warmupReadings : Math.min(DEFAULT_MAX_WARMUP, readings / 2);
  }

  /**
   * Reference (a): publish to a subscriber that only counts, run as a child JVM so that its CPU is
   * measured like the ingest's.
   */
  private StepFigures countingSubscriber(
      String root, String idPrefix, long warmup, Path log, BenchmarkReport report)
      throws Exception {
    LOG.info("(a) counting subscriber - {} runs of {} readings", repeat, count(readings));
    try (CountingChild subscriber =
            CountingChild.start(
                List.of(CHILD_HEAP), mqttUrl, idPrefix + "-count", root + "/#", log);
        LoadPublisher publisher = publisher(root, idPrefix + "-a")) {
      double warmupSeconds = warmUp("(a)", publisher, warmup, subscriber.received());
      ReferenceRuns runs = new ReferenceRuns();
      brokerStore.reset();
      for (int i = 1; i <= repeat; i++) {
        ReferenceStep step =
            referenceStep("(a)", publisher, readings, subscriber.received(), subscriber.pid());
        runs.add(step);
        LOG.info("(a) counting subscriber - run {}: {}", i, rate(step.rate()));
        if (!step.all()) {
          report.warning(
              "(a) run "
                  + i
                  + " received only "
                  + count(step.handled())
                  + " of "
                  + count(step.sent().sent())
                  + " readings");
        }
      }
      report
          .section(
              "(a) Counting subscriber: the broker + MQTT client ceiling (child JVM "
                  + CHILD_HEAP
                  + ")")
          .line("warm-up (not timed)", count(warmup) + " readings in " + seconds(warmupSeconds))
          .line("throughput", runs.rate.describe(Figures::rate))
          .line(
              "CPU per 100k readings",
              runs.cpu.describe(Figures::seconds) + " (the subscriber JVM)")
          .line("broker CPU per 100k readings", runs.brokerCpu.describe(Figures::seconds))
          .line("received", runs.handledOfSent())
          .line("publisher alone", runs.publisher.describe(Figures::rate))
          .line("CPU during the step (last run)", runs.lastCpu)
          .line("broker backlog peak", backlog("(a)", report));
      return runs.figures();
    }
  }

  /** Reference (b): one autocommitted INSERT per message. */
  private StepFigures naiveBridge(
      String root, String idPrefix, ScratchDatabase db, BenchmarkReport report)
      throws MqttException, SQLException, InterruptedException {
    LOG.info("(b) naive bridge - {} runs of {} readings", repeat, count(naiveReadings));
    try (NaiveJdbcBridge bridge =
            NaiveJdbcBridge.start(mqttUrl, idPrefix + "-naive", root + "/#", db.connect());
        LoadPublisher publisher = publisher(root, idPrefix + "-b")) {
      ReferenceRuns runs = new ReferenceRuns();
      brokerStore.reset();
      for (int i = 1; i <= repeat; i++) {
        ReferenceStep step = referenceStep("(b)", publisher, naiveReadings, bridge.stored(), -1);
        runs.add(step);
        LOG.info("(b) naive bridge - run {}: {}", i, rate(step.rate()));
        if (!step.all()) {
          report.warning(
              "(b) run "
                  + i
                  + " stored "
                  + count(step.handled())
                  + " of "
                  + count(step.sent().sent())
                  + " readings");
        }
      }
      if (bridge.failed() > 0) {
        report.warning("(b) " + count(bridge.failed()) + " inserts failed");
      }
      report
          .section("(b) Naive bridge: one INSERT and commit per message (in the benchmark JVM)")
          .line("throughput", runs.rate.describe(Figures::rate))
          .line("stored", runs.handledOfSent())
          .line("database CPU per 100k readings", runs.dbCpu.describe(Figures::seconds))
          .line("CPU during the step (last run)", runs.lastCpu)
          .line("broker backlog peak", backlog("(b)", report));
      return runs.figures();
    }
  }

  /** Why reference (c) cannot run, or null when it can. */
  private String nodeRedUnavailable() {
    if (skipReferences) {
      return "--skip-references";
    }
    if (skipNodeRed) {
      return "--skip-node-red";
    }
    String node = commandOutput("node", "--version");
    if (node == null) {
      return "node is not on PATH";
    }
    if (!Files.isRegularFile(nodeRedHome.resolve("node_modules/node-red/red.js"))) {
      return "Node-RED is not installed in "
          + nodeRedHome
          + " (scripts/bench.sh installs it there with npm when npm is on PATH and the registry"
          + " answers)";
    }
    if (!Files.isRegularFile(nodeRedFlow.resolve("flows.json"))
        || !Files.isRegularFile(nodeRedFlow.resolve("settings.js"))) {
      return nodeRedFlow + " has no flows.json and settings.js (run from the repository root)";
    }
    return null;
  }

  /** Reference (c): Node-RED, MQTT in -> function node -> pg pool, one insert per message. */
  private StepFigures nodeRed(
      String root,
      String idPrefix,
      ScratchDatabase db,
      long warmup,
      Path log,
      BenchmarkReport report)
      throws Exception {
    LOG.info("(c) Node-RED - {} runs of {} readings", repeat, count(nodeRedReadings));
    db.createNodeRedTable();
    Map<String, String> env = new LinkedHashMap<>();
    URI broker = URI.create(mqttUrl);
    env.put("KB_MQTT_HOST", broker.getHost());
    env.put("KB_MQTT_PORT", Integer.toString(broker.getPort() < 0 ? 1883 : broker.getPort()));
    env.put("KB_MQTT_CLIENT_ID", idPrefix + "-node-red");
    env.put("KB_TOPIC", root + "/#");
    Matcher url = JDBC_HOST.matcher(db.url());
    if (!url.lookingAt()) {
      throw new BenchmarkException("cannot tell host and port from " + db.url());
    }
    env.put("PGHOST", url.group(1));
    env.put("PGPORT", url.group(2) == null ? "5432" : url.group(2));
    env.put("PGDATABASE", db.name());
    env.put("PGUSER", dbUser);
    String password = System.getenv().getOrDefault("PGPASSWORD", "");
    if (!password.isEmpty()) {
      env.put("PGPASSWORD", password);
    }
    long warm = Math.min(warmup, nodeRedReadings);
    try (NodeRedFlow flow = NodeRedFlow.start(nodeRedHome, nodeRedFlow, env, freePort(), log);
        LoadPublisher publisher = publisher(root, idPrefix + "-c")) {
      Runnable stop = leftovers.add("stop Node-RED", flow::close);
      probeNodeRed(flow, root, idPrefix + "-probe-c");
      double warmupSeconds = warmUp("(c)", publisher, warm, flow.stored());
      long[] rows0 = db.nodeRedRows(publisher.deviceIdPrefix());
      ReferenceRuns runs = new ReferenceRuns();
      long loss = 0;
      long duplicates = 0;
      brokerStore.reset();
      for (int i = 1; i <= repeat; i++) {
        ReferenceStep step =
            referenceStep("(c)", publisher, nodeRedReadings, flow.stored(), flow.pid());
        runs.add(step);
        long[] rows = db.nodeRedRows(publisher.deviceIdPrefix());
        loss += step.sent().sent() - (rows[0] - rows0[0]);
        duplicates += (rows[0] - rows[1]) - (rows0[0] - rows0[1]);
        rows0 = rows;
        LOG.info("(c) Node-RED - run {}: {}", i, rate(step.rate()));
        if (!step.all()) {
          report.warning(
              "(c) run "
                  + i
                  + " stored "
                  + count(step.handled())
                  + " of "
                  + count(step.sent().sent())
                  + " readings");
        }
      }
      if (flow.failed() > 0) {
        report.warning("(c) " + count(flow.failed()) + " Node-RED inserts failed; see " + log);
      }
      report
          .section("(c) Node-RED: MQTT in -> pg pool, INSERT ... ON CONFLICT DO NOTHING")
          .line(
              "software",
              "Node-RED "
                  + npmVersion("node-red")
                  + ", pg "
                  + npmVersion("pg")
                  + ", node "
                  + commandOutput("node", "--version"))
          .line("warm-up (not timed)", count(warm) + " readings in " + seconds(warmupSeconds))
          .line("throughput", runs.rate.describe(Figures::rate))
          .line(
              "CPU per 100k readings", runs.cpu.describe(Figures::seconds) + " (the node process)")
          .line("database CPU per 100k readings", runs.dbCpu.describe(Figures::seconds))
          .line("stored", runs.handledOfSent())
          .line(
              "loss / duplicates stored",
              count(loss) + " / " + count(duplicates) + " over the runs")
          .line("CPU during the step (last run)", runs.lastCpu)
          .line("broker backlog peak", backlog("(c)", report));
      stop.run();
      return runs.figures();
    }
  }

  /** Publishes a probe reading and waits until Node-RED has handled it (its subscription works). */
  private void probeNodeRed(NodeRedFlow flow, String root, String clientId)
      throws MqttException, InterruptedException {
    String topic = root + "/bin/bench-probe";
    for (int attempt = 1; attempt <= 6; attempt++) {
      Broker.publishOne(
          mqttUrl,
          clientId,
          topic,
          "{\"seq\":" + attempt + ",\"ts\":\"" + Instant.now() + "\",\"fill_pct\":0.0}");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(100);
        if (flow.stored().count() + flow.failed() >= 1) {
          return;
        }
      }
    }
    throw new BenchmarkException("Node-RED did not store a probe reading within 60 s");
  }

  /** Publishes {@code n} readings to a reference consumer and waits for them; their duration. */
  private double warmUp(String step, LoadPublisher publisher, long n, ArrivalCounter handled)
      throws InterruptedException {
    if (n <= 0) {
      return 0;
    }
    LOG.info("{} - warm-up with {} readings", step, count(n));
    long base = handled.count();
    long start = System.nanoTime();
    LoadReport sent = requireAllSent(step + " warm-up", publisher.publish(n, 0));
    if (!handled.await(base + sent.sent(), Duration.ofSeconds(stallSeconds))) {
      throw new BenchmarkException(
          step
              + " handled "
              + count(handled.count() - base)
              + " of "
              + count(n)
              + " warm-up readings before stalling");
    }
    return (System.nanoTime() - start) / 1e9;
  }

  /** The median figures of a step; {@link #NONE} for a step that did not run. */
  private record StepFigures(Runs rate, Runs cpuPer100k, Runs dbCpuPer100k, Runs brokerCpuPer100k) {
    static final StepFigures NONE = new StepFigures(new Runs(), new Runs(), new Runs(), new Runs());
  }

  /** The figures of Kerbside with one number of connections, over the repeated runs. */
  private record IngestFigures(
      int connections,
      Runs rate,
      Runs cpuPer100k,
      Runs dbCpuPer100k,
      Runs brokerCpuPer100k,
      Runs peakHeapBytes,
      Runs p99,
      long loss,
      long duplicates) {
    String connectionsLabel() {
      return connections + (connections == 1 ? " connection" : " connections");
    }
  }

  /** The runs of a reference step, gathered for the report. */
  private static final class ReferenceRuns {
    final Runs rate = new Runs();
    final Runs cpu = new Runs();
    final Runs dbCpu = new Runs();
    final Runs brokerCpu = new Runs();
    final Runs publisher = new Runs();
    final List<String> handled = new ArrayList<>();
    String lastCpu = "n/a";

    void add(ReferenceStep step) {
      rate.add(step.rate());
      cpu.add(step.cpuPer100k());
      dbCpu.add(step.dbCpuPer100k());
      brokerCpu.add(step.brokerCpuPer100k());
      publisher.add(step.sent().ratePerSecond());
      handled.add(step.handledOfSent());
      lastCpu = step.cpu();
    }

    String handledOfSent() {
      return String.join("; ", handled);
    }

    StepFigures figures() {
      return new StepFigures(rate, cpu, dbCpu, brokerCpu);
    }
  }

  /**
   * What a reference step measured: {@code handled} of the readings {@code sent} reached the
   * reference consumer, the last of them {@code elapsedSeconds} after the first publish.
   *
   * @param all whether every reading sent was handled before the step stalled
   * @param cpu CPU use during the step, as {@link CpuWindow#end()} describes it
   * @param consumerCpuSeconds CPU the consumer process used in the step; NaN when not measured
   * @param dbCpuSeconds CPU the database cluster used in the step; NaN when not measured
   * @param brokerCpuSeconds CPU the broker used in the step; NaN when not measured
   */
  private record ReferenceStep(
      LoadReport sent,
      boolean all,
      long handled,
      double elapsedSeconds,
      String cpu,
      double consumerCpuSeconds,
      double dbCpuSeconds,
      double brokerCpuSeconds) {
    double rate() {
      return handled / elapsedSeconds;
    }

    double cpuPer100k() {
      return consumerCpuSeconds * PER_READINGS / handled;
    }

    double dbCpuPer100k() {
      return dbCpuSeconds * PER_READINGS / handled;
    }

    double brokerCpuPer100k() {
      return brokerCpuSeconds * PER_READINGS / handled;
    }

    /** E.g. {@code 999,812 of 1,000,000 in 12.34 s}. */
    String handledOfSent() {
      return count(handled) + " of " + count(sent.sent()) + " in " + seconds(elapsedSeconds);
    }
  }

  /**
   * Publishes {@code toPublish} readings at full speed to a reference consumer and waits until
   * {@code handled} has counted them all, or stalled. {@code consumerPid} is the consumer's own
   * process, whose CPU is measured; -1 when it runs inside this JVM.
   */
  private ReferenceStep referenceStep(
      String step,
      LoadPublisher publisher,
      long toPublish,
      ArrivalCounter handled,
      long consumerPid)
      throws InterruptedException {
    long base = handled.count();
    CpuWindow cpu = CpuWindow.start(consumerPid, step, brokerPid);
    long consumer0 = consumerPid < 0 ? -1 : ProcStats.processTicks(consumerPid);
    long db0 = clusterTicks();
    long broker0 = brokerTicks();
    LoadReport sent = requireAllSent(step, publisher.publish(toPublish, 0));
    boolean all = handled.await(base + sent.sent(), Duration.ofSeconds(stallSeconds));
    long consumer1 = consumerPid < 0 ? -1 : ProcStats.processTicks(consumerPid);
    long db1 = clusterTicks();
    long broker1 = brokerTicks();
    long counted = handled.count() - base;
    double elapsedSeconds = (handled.lastNanos() - sent.startNanoTime()) / 1e9;
    return new ReferenceStep(
        sent,
        all,
        counted,
        elapsedSeconds,
        cpu.end(),
        cpuSeconds(consumer0, consumer1),
        cpuSeconds(db0, db1),
        cpuSeconds(broker0, broker1));
  }

  private long clusterTicks() {
    return cluster == null ? -1 : cluster.cpuTicks();
  }

  private long brokerTicks() {
    return brokerPid < 0 ? -1 : ProcStats.processTicks(brokerPid);
  }

  /** The pid of the broker when {@link #mqttUrl} names this machine; else -1. */
  private long localBrokerPid() {
    URI url = URI.create(mqttUrl);
    try {
      if (url.getHost() == null || !InetAddress.getByName(url.getHost()).isLoopbackAddress()) {
        return -1;
      }
    } catch (UnknownHostException e) {
      return -1;
    }
    int port = url.getPort() < 0 ? 1883 : url.getPort();
    return ListeningProcess.onPort(port).orElse(-1L);
  }

  /** CPU seconds between two tick counts; NaN when either is unknown. */
  private static double cpuSeconds(long ticks0, long ticks1) {
    return ticks0 < 0 || ticks1 < 0 ? Double.NaN : (ticks1 - ticks0) / ProcStats.TICKS_PER_SECOND;
  }

  /**
   * Kerbside with {@code connections} MQTT connections: a fresh database and child, a warm-up, then
   * {@link #repeat} runs at full speed, {@link #repeat} runs at half the median rate, and SIGTERM.
   */
  private IngestFigures measureIngest(
      int connections,
      String root,
      String idPrefix,
      String run,
      long warmup,
      Path childLog,
      BenchmarkReport report)
      throws Exception {
    String label = connections + (connections == 1 ? " connection" : " connections");
    ScratchDatabase db = createDatabase("kerbside_bench_" + run + "_" + connections + "c");
    String clientId = idPrefix + "-ingest-" + connections + "c";
    IngestChild child =
        IngestChild.start(
            jar, List.of(CHILD_HEAP), childSettings(db, clientId, root, connections), childLog);
    Runnable stopChild =
        leftovers.add(
            "stop the ingest child",
            () -> {
              child.close();
              for (int i = 1; i <= connections; i++) {
                Broker.discardSession(mqttUrl, connections == 1 ? clientId : clientId + "-" + i);
              }
            });
    child.awaitReady(Duration.ofSeconds(120));
    IngestWatch watch = new IngestWatch(child);
    probe(child, watch, root, idPrefix + "-probe-" + connections + "c");
    String layout = db.readingLayout();

    Runs rates = new Runs();
    Runs cpuPer100k = new Runs();
    Runs dbCpuPer100k = new Runs();
    Runs brokerCpuPer100k = new Runs();
    Runs heap = new Runs();
    Runs p50s = new Runs();
    Runs p99s = new Runs();
    Runs receiptP50 = new Runs();
    Runs receiptP99 = new Runs();
    Runs publisherRates = new Runs();
    Runs halfRates = new Runs();
    List<String> stepTimes = new ArrayList<>();
    long loss = 0;
    long duplicates = 0;
    long rejected = 0;
    String batches = "";
    String cpuUse = "";
    String backlog;
    double warmupSeconds = 0;
    int exit;
    try (LoadPublisher publisher = publisher(root, idPrefix + "-k" + connections)) {
      String devicePrefix = publisher.deviceIdPrefix();
      if (warmup > 0) {
        LOG.info("ingest {} - warm-up with {} readings", label, count(warmup));
        PrometheusScrape before = watch.scrape();
        IngestWatch.Completion warm =
            watch.awaitAccounted(
                IngestWatch.accounted(before),
                publishInBackground("the ingest warm-up", publisher, warmup, 0),
                Duration.ofSeconds(stallSeconds));
        warmupSeconds = warm.seconds();
      }
      StoredReadings stored = db.storedReadings(devicePrefix);
      brokerStore.reset();
      for (int i = 1; i <= repeat; i++) {
        LOG.info("ingest {} - run {}: {} readings at full speed", label, i, count(readings));
        watch.takeStepPeakHeapBytes();
        PrometheusScrape before = watch.scrape();
        CpuWindow cpu = CpuWindow.start(child.pid(), "ingest", brokerPid);
        long child0 = child.cpuTicks();
        long db0 = clusterTicks();
        long broker0 = brokerTicks();
        IngestWatch.Completion full =
            watch.awaitAccounted(
                IngestWatch.accounted(before),
                publishInBackground("the ingest step", publisher, readings, 0),
                Duration.ofSeconds(stallSeconds));
        long child1 = child.cpuTicks();
        long db1 = clusterTicks();
        long broker1 = brokerTicks();
        cpuUse = cpu.end();
        LoadReport sent = full.published();
        double sustained = sent.sent() / full.seconds();
        rates.add(sustained);
        cpuPer100k.add(cpuSeconds(child0, child1) * PER_READINGS / sent.sent());
        dbCpuPer100k.add(cpuSeconds(db0, db1) * PER_READINGS / sent.sent());
        brokerCpuPer100k.add(cpuSeconds(broker0, broker1) * PER_READINGS / sent.sent());
        heap.add(watch.takeStepPeakHeapBytes());
        publisherRates.add(sent.ratePerSecond());
        stepTimes.add(count(sent.sent()) + " in " + seconds(full.seconds()));
        PrometheusScrape after = full.last();
        batches = batches(before, after);
        rejected += (long) delta(before, after, IngestWatch.REJECTIONS);
        warnOnWriteFailures(before, after, report);
        StoredReadings now = db.storedReadings(devicePrefix);
        loss += lossOf(sent.sent(), stored, now);
        duplicates += duplicatesOf(stored, now);
        stored = now;
        LOG.info("ingest {} - run {}: {}", label, i, rate(sustained));
      }
      backlog = backlog("the ingest step, " + label, report);

      double halfRate = rates.median() / 2;
      long halfReadings = Math.max(1, Math.round(halfRate * latencySeconds));
      for (int i = 1; i <= repeat; i++) {
        LOG.info(
            "ingest {} - latency run {}: {} readings at {} for {} s",
            label,
            i,
            count(halfReadings),
            rate(halfRate),
            latencySeconds);
        PrometheusScrape beforeHalf = watch.scrape();
        Instant halfStart = Instant.now();
        IngestWatch.Completion half =
            watch.awaitAccounted(
                IngestWatch.accounted(beforeHalf),
                publishInBackground("the latency step", publisher, halfReadings, halfRate),
                Duration.ofSeconds(stallSeconds));
        heap.add(watch.takeStepPeakHeapBytes());
        HistogramQuantiles age =
            HistogramQuantiles.between(
                beforeHalf.buckets(IngestWatch.READING_AGE),
                half.last().buckets(IngestWatch.READING_AGE));
        p50s.add(age.quantile(0.50));
        p99s.add(age.quantile(0.99));
        halfRates.add(half.published().ratePerSecond());
        double redelivered =
            half.last().sum(IngestWatch.READINGS, "outcome", "duplicate")
                - beforeHalf.sum(IngestWatch.READINGS, "outcome", "duplicate");
        if (redelivered > 0) {
          report.warning(
              String.format(
                  Locale.ROOT,
                  "%,.0f duplicate (redelivered) readings reached the ingest (%s) during latency"
                      + " run %d; its reading-age histogram counts them too, so p50/p99 include"
                      + " their age",
                  redelivered,
                  label,
                  i));
        }
        double[] receipt = db.receiptDelaySeconds(devicePrefix, halfStart);
        receiptP50.add(receipt[0]);
        receiptP99.add(receipt[1]);
        StoredReadings now = db.storedReadings(devicePrefix);
        loss += lossOf(half.published().sent(), stored, now);
        duplicates += duplicatesOf(stored, now);
        stored = now;
      }
      if (stored.allRows() - stored.rows() > 1) {
        report.warning(
            count(stored.allRows() - stored.rows())
                + " rows of other devices reached the database: another publisher shares the"
                + " topics");
      }

      long peakRss = child.peakRssBytes();
      LOG.info("ingest {} - stopping the child with SIGTERM", label);
      exit = child.stop(Duration.ofSeconds(60));
      stopChild.run();

      report
          .section(
              "Kerbside ingest, "
                  + label
                  + " (KERBSIDE_INGEST_CONNECTIONS="
                  + connections
                  + "): child JVM "
                  + CHILD_HEAP
                  + ", "
                  + layout
                  + " storage")
          .line("warm-up (not timed)", count(warmup) + " readings in " + seconds(warmupSeconds))
          .line("throughput", rates.describe(Figures::rate))
          .line("first publish to last commit", String.join("; ", stepTimes))
          .line("publisher during the step", publisherRates.describe(Figures::rate))
          .line(
              "CPU per 100k readings", cpuPer100k.describe(Figures::seconds) + " (the ingest JVM)")
          .line("database CPU per 100k readings", dbCpuPer100k.describe(Figures::seconds))
          .line("broker CPU per 100k readings", brokerCpuPer100k.describe(Figures::seconds))
          .line("loss (all runs)", count(loss))
          .line("duplicates stored (all runs)", count(duplicates))
          .line("rejected / dead letters", count(rejected) + " / " + count(stored.deadLetters()))
          .line("batches (last run)", batches)
          .line("CPU during the step (last run)", cpuUse)
          .line("broker backlog peak", backlog)
          .line("latency p50", p50s.describe(Figures::duration))
          .line("latency p99", p99s.describe(Figures::duration))
          .line(
              "of which publish to receipt",
              "p50 "
                  + duration(receiptP50.median())
                  + ", p99 "
                  + duration(receiptP99.median())
                  + " (received_at - ts, medians)")
          .line(
              "latency load",
              halfRates.describe(Figures::rate)
                  + " achieved of "
                  + rate(halfRate)
                  + ", "
                  + latencySeconds
                  + " s each")
          .line(
              "peak heap used, per run",
              heap.describe(Figures::megabytes) + " (full-speed runs, then half-rate runs)")
          .line(
              "peak heap used, whole life",
              megabytes(watch.peakHeapBytes())
                  + " (max over all scrapes, start and warm-up included)")
          .line("peak RSS", megabytes(peakRss) + " (VmHWM)")
          .line("exit status after SIGTERM", exit + (exit == 143 ? " (normal for a JVM)" : ""));
    }
    if (exit != 143 && exit != 0) {
      report.warning(
          "the ingest child (" + label + ") exited with status " + exit + " after SIGTERM");
    }
    List<String> problems = child.loggedProblems();
    if (!problems.isEmpty()) {
      report.warning(
          "the ingest ("
              + label
              + ") logged "
              + problems.size()
              + " warnings or errors, the first: "
              + problems.get(0).strip()
              + " (see "
              + child.log()
              + ")");
    }
    if (duplicates != 0) {
      report.warning(count(duplicates) + " readings were stored twice (" + label + ")");
    }
    heap.add(watch.peakHeapBytes());
    return new IngestFigures(
        connections,
        rates,
        cpuPer100k,
        dbCpuPer100k,
        brokerCpuPer100k,
        heap,
        p99s,
        loss,
        duplicates);
  }

  private static long lossOf(long sent, StoredReadings before, StoredReadings after) {
    return sent - (after.rows() - before.rows());
  }

  private static long duplicatesOf(StoredReadings before, StoredReadings after) {
    return (after.rows() - after.distinctDeviceSeq())
        - (before.rows() - before.distinctDeviceSeq());
  }

  private static void warnOnWriteFailures(
      PrometheusScrape before, PrometheusScrape after, BenchmarkReport report) {
    double writeFailures = delta(before, after, IngestWatch.BATCH_FAILURES);
    if (writeFailures > 0) {
      report.warning(
          String.format(
              Locale.ROOT,
              "the ingest's database writes failed %,.0f times during a run and were retried:"
                  + " the database was unavailable for a while (restarted by another user of the"
                  + " shared services?)",
              writeFailures));
    }
  }

  /**
   * Publishes one reading of a separate device and waits until the child has accounted for it:
   * proof that its subscription is active and its database path works before the clock starts.
   */
  private void probe(IngestChild child, IngestWatch watch, String root, String clientId)
      throws MqttException, InterruptedException {
    String topic = root + "/bin/bench-probe";
    for (int attempt = 1; attempt <= 6; attempt++) {
      Broker.publishOne(mqttUrl, clientId, topic, "{\"seq\":" + attempt + ",\"fill_pct\":0.0}");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(100);
        if (IngestWatch.accounted(watch.scrape()) >= 1) {
          return;
        }
      }
      LOG.info("ingest - probe reading {} not accounted for yet; sending another", attempt);
    }
    throw new BenchmarkException(
        "the ingest child did not account for a probe reading within 60 s; see "
            + child.log()
            + "\n"
            + child.logTail(20));
  }

  private LoadPublisher publisher(String root, String clientIdPrefix) throws MqttException {
    return LoadPublisher.builder(mqttUrl)
        .devices(devices)
        .qos(qos)
        .connections(publishers)
        .maxInflight(maxInflight)
        .topicPrefix(root)
        .timestampFormat(
            tsFormat.equals("iso") ? TimestampFormat.ISO_8601 : TimestampFormat.EPOCH_MILLIS)
        .clientIdPrefix(clientIdPrefix)
        .connect();
  }

  private static Future<LoadReport> publishInBackground(
      String step, LoadPublisher publisher, long n, double perSecond) {
    FutureTask<LoadReport> task =
        new FutureTask<>(() -> requireAllSent(step, publisher.publish(n, perSecond)));
    Thread t = new Thread(task, "bench-publish");
    t.setDaemon(true);
    t.start();
    return task;
  }

  private Map<String, String> childSettings(
      ScratchDatabase db, String clientId, String root, int connections) throws IOException {
    Map<String, String> env = new LinkedHashMap<>(childEnv);
    env.put("KERBSIDE_DB_URL", db.url());
    env.put("KERBSIDE_DB_USER", dbUser);
    String password = System.getenv().getOrDefault("PGPASSWORD", "");
    if (!password.isEmpty()) {
      env.put("KERBSIDE_DB_PASSWORD", password);
    }
    env.put("KERBSIDE_MQTT_URL", mqttUrl);
    env.put("KERBSIDE_MQTT_CLIENT_ID", clientId);
    env.put("KERBSIDE_HTTP_HOST", "127.0.0.1");
    env.put("KERBSIDE_HTTP_PORT", Integer.toString(freePort()));
    env.put("KERBSIDE_INGEST_SUBSCRIPTIONS", root + "/+/+=native@default");
    env.put("KERBSIDE_INGEST_CONNECTIONS", Integer.toString(connections));
    return env;
  }

  private ScratchDatabase createDatabase(String name) {
    String password = System.getenv().getOrDefault("PGPASSWORD", "");
    try {
      ScratchDatabase db = ScratchDatabase.create(dbUrl, dbUser, password, name);
      leftovers.add(
          "drop database " + name,
          () -> {
            if (keep) {
              LOG.info("cleanup - keeping database {} ({})", db.name(), db.url());
              return;
            }
            try {
              db.drop();
            } catch (SQLException e) {
              LOG.warn("cleanup - could not drop database {}: {}", db.name(), e.getMessage());
            }
          });
      return db;
    } catch (SQLException e) {
      throw new BenchmarkException(
          "cannot create database "
              + name
              + " through "
              + dbUrl
              + " as "
              + dbUser
              + ": "
              + e.getMessage()
              + " (for the test services: scripts/services.sh up)",
          e);
    }
  }

  private void validate() {
    check(readings >= 1, "--readings must be at least 1");
    check(devices >= 1 && devices <= 10_000_000, "--devices must be 1 to 10000000");
    check(naiveReadings >= 1, "--naive-readings must be at least 1");
    check(latencySeconds >= 1, "--latency-seconds must be at least 1");
    check(repeat >= 1 && repeat <= 20, "--repeat must be 1 to 20");
    check(warmupReadings >= -1, "--warmup-readings must be 0 or more");
    check(nodeRedReadings >= 1, "--node-red-readings must be at least 1");
    check(
        !connections.isEmpty() && connections.stream().allMatch(n -> n >= 1 && n <= 16),
        "--connections must list numbers from 1 to 16");
    check(publishers >= 1 && publishers <= 64, "--publishers must be 1 to 64");
    check(maxInflight >= 1 && maxInflight <= 65_535, "--max-inflight must be 1 to 65535");
    check(qos == 0 || qos == 1, "--qos must be 0 or 1");
    check(
        tsFormat.equals("iso") || tsFormat.equals("epoch-ms"),
        "--ts-format must be iso or epoch-ms");
    check(stallSeconds >= 5, "--stall-seconds must be at least 5");
    check(
        topicRoot == null || topicRoot.matches("[^+#]+") && !topicRoot.endsWith("/"),
        "--topic-root must be a topic without wildcards or a trailing '/'");
    for (String key : childEnv.keySet()) {
      check(key.startsWith("KERBSIDE_"), "--child-env " + key + ": only KERBSIDE_* settings");
      check(
          !SETTINGS_OWNED_BY_THE_BENCHMARK.contains(key),
          "--child-env " + key + " is set by the benchmark itself");
    }
  }

  private void check(boolean ok, String message) {
    if (!ok) {
      throw new ParameterException(spec.commandLine(), message);
    }
  }

  private static Verdict verdict(double value, java.util.function.DoublePredicate pass) {
    return Double.isNaN(value) ? Verdict.NOT_MEASURED : Verdict.of(pass.test(value));
  }

  private static double delta(PrometheusScrape before, PrometheusScrape after, String name) {
    return after.sum(name) - before.sum(name);
  }

  /** The broker's largest message store during the step; warns when it was large. */
  private String backlog(String step, BenchmarkReport report) {
    long messages = brokerStore.peakMessages();
    long bytes = brokerStore.peakBytes();
    if (messages < 0) {
      return "not reported by the broker";
    }
    if (bytes > LARGE_BACKLOG_BYTES) {
      report.warning(
          "in "
              + step
              + " the broker held up to "
              + count(messages)
              + " messages ("
              + megabytes(bytes)
              + "): the publisher ran far ahead of the consumer; a broker that saves its store"
              + " often then spends much of its time rewriting it, see docs/benchmarks.md");
    }
    return count(messages) + " messages, " + megabytes(bytes) + " (as reported every sys_interval)";
  }

  /**
   * A publish that failed, or had to be sent again, means a lost broker connection or an overloaded
   * broker: the step's figures would not mean what they say, so the run stops.
   */
  private static LoadReport requireAllSent(String step, LoadReport r) {
    if (r.failed() > 0 || r.resent() > 0) {
      throw new BenchmarkException(
          String.format(
              Locale.ROOT,
              "%s: of %,d publishes %,d failed and %,d were sent again after a lost connection"
                  + " (broker connection lost or broker overloaded; see the warnings above)",
              step,
              r.failed() + r.sent(),
              r.failed(),
              r.resent()));
    }
    return r;
  }

  private static String failures(LoadReport r) {
    return r.failed() == 0 ? "" : ", " + count(r.failed()) + " publishes FAILED";
  }

  private static String batches(PrometheusScrape before, PrometheusScrape after) {
    double n = delta(before, after, IngestWatch.BATCH_SIZE + "_count");
    if (n <= 0) {
      return "none";
    }
    double messages = delta(before, after, IngestWatch.BATCH_SIZE + "_sum");
    double writeSeconds = delta(before, after, IngestWatch.BATCH_WRITE + "_sum");
    double writes = delta(before, after, IngestWatch.BATCH_WRITE + "_count");
    return String.format(
        Locale.ROOT,
        "%,.0f, mean %,.0f messages, mean write %s, %,.0f failed and retried",
        n,
        messages / n,
        duration(writes > 0 ? writeSeconds / writes : Double.NaN),
        delta(before, after, IngestWatch.BATCH_FAILURES));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String gitDescribe() {
    try {
      Process p =
          new ProcessBuilder("git", "describe", "--always", "--dirty")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
    } catch (IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private static String machine() {
    String model = "unknown CPU";
    long memKb = -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          model = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          memKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("machine - /proc not readable: {}", e.getMessage());
    }
    return String.format(
        Locale.ROOT,
        "%d cores, %s, %s",
        Runtime.getRuntime().availableProcessors(),
        memKb < 0 ? "unknown memory" : String.format(Locale.ROOT, "%.0f GiB", memKb / 1048576.0),
        model);
  }

  /** The first line {@code command} prints, or null when it cannot run or fails. */
  private static String commandOutput(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0
          ? out.lines().findFirst().orElse("")
          : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The version of an npm package installed in --node-red-home, or "unknown". */
  private String npmVersion(String module) {
    try {
      Matcher m =
          Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"")
              .matcher(
                  Files.readString(
                      nodeRedHome.resolve("node_modules/" + module + "/package.json")));
      return m.find() ? m.group(1) : "unknown";
    } catch (IOException e) {
      return "unknown";
    }
  }

  /**
   * What must be undone however the run ends, including on Ctrl-C: child processes stopped, broker
   * sessions discarded, databases dropped. Each action runs once, by whichever comes first of the
   * step that no longer needs it and the end of the run (or the JVM's shutdown), newest first.
   */
  private static final class Leftovers {
    private final Deque<Runnable> actions = new ArrayDeque<>();

    /** Registers {@code action}; returns it wrapped so that it runs at most once. */
    synchronized Runnable add(String what, Runnable action) {
      AtomicBoolean done = new AtomicBoolean();
      Runnable once =
          () -> {
            if (done.compareAndSet(false, true)) {
              try {
                action.run();
              } catch (RuntimeException e) {
                LOG.warn("cleanup - {} failed: {}", what, e.toString());
              }
            }
          };
      actions.push(once);
      return once;
    }

    synchronized void cleanUp() {
      while (!actions.isEmpty()) {
        actions.pop().run();
      }
    }
  }
}
