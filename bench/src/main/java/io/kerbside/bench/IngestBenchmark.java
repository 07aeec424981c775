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
import io.kerbside.bench.reference.ArrivalCounter;
import io.kerbside.bench.reference.CountingSubscriber;
import io.kerbside.bench.reference.NaiveJdbcBridge;
import io.kerbside.bench.report.BenchmarkReport;
import io.kerbside.bench.report.Verdict;
import io.kerbside.sim.load.LoadPublisher;
import io.kerbside.sim.load.LoadReport;
import io.kerbside.sim.load.TimestampFormat;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
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
 * Measures Kerbside's ingest on this machine against two references measured in the same run, and
 * prints a report (also written to {@code bench-results/ingest-<time>.txt}):
 *
 * <ol>
 *   <li>(a) a Paho subscriber that only counts: the ceiling of the broker and the MQTT client;
 *   <li>(b) a naive bridge that inserts one row per message with autocommit;
 *   <li>the real ingest, run from the distribution jar as a child JVM with {@code -Xmx256m} on a
 *       fresh database, at full speed, with loss and duplicates checked in the database;
 *   <li>publish-to-commit latency with the same child at half the rate it sustained.
 * </ol>
 *
 * <p>Figures are printed, never asserted; the exit status is non-zero only when the run itself
 * fails (a service is missing, the child dies, a step stalls). See docs/benchmarks.md.
 */
@Command(
    name = "ingest-benchmark",
    sortOptions = false,
    description = {
      "Benchmarks Kerbside's MQTT ingest against a counting subscriber and a naive JDBC bridge.",
      "Everything runs on this machine; see docs/benchmarks.md for what each figure means."
    })
public final class IngestBenchmark implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(IngestBenchmark.class);
  private static final String CHILD_HEAP = "-Xmx256m";
  private static final double HEAP_TARGET_BYTES = 256.0 * 1024 * 1024;
  private static final double SHARE_OF_A_TARGET = 0.85;
  private static final double MULTIPLE_OF_B_TARGET = 5;
  private static final double P99_TARGET_SECONDS = 1.0;

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
          "KERBSIDE_INGEST_SUBSCRIPTIONS");

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

  @Option(names = "--skip-references", description = "Skip (a) and (b); measure the ingest only.")
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
    Path reportFile = resultsDir.resolve("ingest-" + STAMP.format(started) + ".txt");
    Path childLog = resultsDir.resolve("ingest-" + STAMP.format(started) + "-child.log");
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
    leftovers.database(db, keep);
    report.line(
        "database",
        io.kerbside.core.config.SafeUrl.of(db.url()) + " (" + db.describeServer() + ")");
    if (!skipReferences && db.setting("fsync").equals("off")) {
      report.warning(
          "the cluster runs with fsync=off: a commit costs no disk flush, which flatters the naive"
              + " bridge (b) (one commit per message) far more than Kerbside (one per batch)");
    }
    report.line(
        "workload",
        String.format(
            Locale.ROOT,
            "%,d readings over %,d bin devices, QoS %d, %d publisher connections",
            readings,
            devices,
            qos,
            publishers));
    report.line("topics", root + "/bin/<device-id>, ts " + tsFormat);

    brokerStore = BrokerStoreWatch.start(mqttUrl, idPrefix + "-store");
    try {
      double refA = Double.NaN;
      double refB = Double.NaN;
      if (!skipReferences) {
        refA = countingSubscriber(root, idPrefix, report);
        refB = naiveBridge(root, idPrefix, db, report);
      }
      measureIngest(root, idPrefix, db, childLog, refA, refB, report);
    } finally {
      brokerStore.close();
      leftovers.cleanUp();
    }

    report.section("").line("run time", seconds((System.nanoTime() - startNanos) / 1e9));
    String text = report.render();
    Files.writeString(reportFile, text, StandardCharsets.UTF_8);
    System.out.println();
    System.out.print(text);
    System.out.println();
    System.out.println("Report written to " + reportFile + "; ingest log in " + childLog);
    return 0;
  }

  /** Reference (a): publish to a subscriber that only counts. */
  private double countingSubscriber(String root, String idPrefix, BenchmarkReport report)
      throws MqttException, InterruptedException {
    LOG.info("(a) counting subscriber - publishing {} readings", count(readings));
    try (CountingSubscriber subscriber =
            CountingSubscriber.start(mqttUrl, idPrefix + "-count", root + "/#");
        LoadPublisher publisher = publisher(root, idPrefix + "-a")) {
      ReferenceStep step = referenceStep("(a)", publisher, readings, subscriber.received());
      LoadReport sent = step.sent();
      double rate = step.rate();
      report
          .section("(a) Counting subscriber: the broker + MQTT client ceiling")
          .line("throughput", rate(rate))
          .line("received", step.handledOfSent())
          .line("publisher alone", rate(sent.ratePerSecond()) + failures(sent))
          .line("CPU during the step", step.cpu())
          .line("broker backlog peak", backlog("(a)", report));
      if (!step.all()) {
        report.warning(
            "(a) received only "
                + count(step.handled())
                + " of "
                + count(sent.sent())
                + " readings");
      }
      LOG.info("(a) counting subscriber - {}", rate(rate));
      return rate;
    }
  }

  /** Reference (b): one autocommitted INSERT per message. */
  private double naiveBridge(
      String root, String idPrefix, ScratchDatabase db, BenchmarkReport report)
      throws MqttException, SQLException, InterruptedException {
    LOG.info("(b) naive bridge - publishing {} readings", count(naiveReadings));
    try (NaiveJdbcBridge bridge =
            NaiveJdbcBridge.start(mqttUrl, idPrefix + "-naive", root + "/#", db.connect());
        LoadPublisher publisher = publisher(root, idPrefix + "-b")) {
      ReferenceStep step = referenceStep("(b)", publisher, naiveReadings, bridge.stored());
      LoadReport sent = step.sent();
      double rate = step.rate();
      report
          .section("(b) Naive bridge: one INSERT and commit per message")
          .line("throughput", rate(rate))
          .line("stored", step.handledOfSent())
          .line("CPU during the step", step.cpu())
          .line("broker backlog peak", backlog("(b)", report));
      if (!step.all() || bridge.failed() > 0) {
        report.warning(
            "(b) stored "
                + count(step.handled())
                + " of "
                + count(sent.sent())
                + " readings ("
                + count(bridge.failed())
                + " inserts failed)");
      }
      LOG.info("(b) naive bridge - {}", rate(rate));
      return rate;
    }
  }

  /**
   * What a reference step measured: {@code handled} of the readings {@code sent} reached the
   * reference consumer, the last of them {@code elapsedSeconds} after the first publish.
   *
   * @param all whether every reading sent was handled before the step stalled
   * @param cpu CPU use during the step, as {@link CpuWindow#end()} describes it
   */
  private record ReferenceStep(
      LoadReport sent, boolean all, long handled, double elapsedSeconds, String cpu) {
    double rate() {
      return handled / elapsedSeconds;
    }

    /** E.g. {@code 999,812 of 1,000,000 in 12.34 s}. */
    String handledOfSent() {
      return count(handled) + " of " + count(sent.sent()) + " in " + seconds(elapsedSeconds);
    }
  }

  /**
   * Publishes {@code toPublish} readings at full speed to a reference consumer and waits until
   * {@code handled} has counted them all, or stalled.
   */
  private ReferenceStep referenceStep(
      String step, LoadPublisher publisher, long toPublish, ArrivalCounter handled)
      throws InterruptedException {
    CpuWindow cpu = CpuWindow.start(-1);
    brokerStore.reset();
    LoadReport sent = requireAllSent(step, publisher.publish(toPublish, 0));
    boolean all = handled.await(sent.sent(), Duration.ofSeconds(stallSeconds));
    long counted = handled.count();
    double elapsedSeconds = (handled.lastNanos() - sent.startNanoTime()) / 1e9;
    return new ReferenceStep(sent, all, counted, elapsedSeconds, cpu.end());
  }

  /** Steps 3 to 5: the real ingest at full speed, then at half that rate, then SIGTERM. */
  private void measureIngest(
      String root,
      String idPrefix,
      ScratchDatabase db,
      Path childLog,
      double refA,
      double refB,
      BenchmarkReport report)
      throws Exception {
    String clientId = idPrefix + "-ingest";
    IngestChild child =
        IngestChild.start(jar, List.of(CHILD_HEAP), childSettings(db, clientId, root), childLog);
    leftovers.child(child, mqttUrl, clientId);
    child.awaitReady(Duration.ofSeconds(120));
    IngestWatch watch = new IngestWatch(child);
    probe(child, watch, root, idPrefix + "-probe");
    String layout = db.readingLayout();

    double sustained;
    try (LoadPublisher publisher = publisher(root, idPrefix + "-k")) {
      LOG.info("ingest - publishing {} readings at full speed", count(readings));
      PrometheusScrape before = watch.scrape();
      CpuWindow cpu = CpuWindow.start(child.pid());
      brokerStore.reset();
      IngestWatch.Completion full =
          watch.awaitAccounted(
              IngestWatch.accounted(before),
              publishInBackground("the ingest step", publisher, readings, 0),
              Duration.ofSeconds(stallSeconds));
      String cpuUse = cpu.end();
      LoadReport sent = full.published();
      sustained = sent.sent() / full.seconds();
      LOG.info("ingest - {}; checking the database", rate(sustained));

      StoredReadings stored = db.storedReadings(publisher.deviceIdPrefix());
      long loss = sent.sent() - stored.rows();
      long duplicatesStored = stored.rows() - stored.distinctDeviceSeq();
      PrometheusScrape after = full.last();
      double stepSeconds = full.seconds();

      report
          .section("Kerbside ingest: child JVM " + CHILD_HEAP + ", " + layout + " storage")
          .line("throughput", rate(sustained))
          .line(
              "first publish to last commit",
              count(sent.sent()) + " readings in " + seconds(stepSeconds))
          .line("publisher during the step", rate(sent.ratePerSecond()) + failures(sent))
          .line("stored rows (database)", count(stored.rows()))
          .line("loss", count(loss))
          .line("duplicates stored", count(duplicatesStored))
          .line(
              "rejected / dead letters",
              count((long) delta(before, after, IngestWatch.REJECTIONS))
                  + " / "
                  + count(stored.deadLetters()))
          .line("batches", batches(before, after))
          .line("CPU during the step", cpuUse)
          .line("broker backlog peak", backlog("the ingest step", report));
      double writeFailures = delta(before, after, IngestWatch.BATCH_FAILURES);
      if (writeFailures > 0) {
        report.warning(
            String.format(
                Locale.ROOT,
                "the ingest's database writes failed %,.0f times during its step and were retried:"
                    + " the database was unavailable for a while (restarted by another user of the"
                    + " shared services?)",
                writeFailures));
      }
      if (stored.allRows() - stored.rows() > 1) {
        report.warning(
            count(stored.allRows() - stored.rows())
                + " rows of other devices reached the database: another publisher shares the"
                + " topics");
      }

      report.line("", "");
      report.line("Kerbside vs (a)", percent(sustained / refA));
      report.line("Kerbside vs (b)", multiple(sustained / refB));

      double halfRate = sustained / 2;
      long halfReadings = Math.max(1, Math.round(halfRate * latencySeconds));
      LOG.info(
          "latency - publishing {} readings at {} for {} s",
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
      HistogramQuantiles age =
          HistogramQuantiles.between(
              beforeHalf.buckets(IngestWatch.READING_AGE),
              half.last().buckets(IngestWatch.READING_AGE));
      double p50 = age.quantile(0.50);
      double p99 = age.quantile(0.99);
      double redelivered =
          half.last().sum(IngestWatch.READINGS, "outcome", "duplicate")
              - beforeHalf.sum(IngestWatch.READINGS, "outcome", "duplicate");
      if (redelivered > 0) {
        report.warning(
            String.format(
                Locale.ROOT,
                "%,.0f duplicate (redelivered) readings reached the ingest during the latency step;"
                    + " its reading-age histogram counts them too, so p50/p99 include their age",
                redelivered));
      }
      double[] receipt = db.receiptDelaySeconds(publisher.deviceIdPrefix(), halfStart);

      long peakRss = child.peakRssBytes();
      LOG.info("ingest - stopping the child with SIGTERM");
      int exit = child.stop(Duration.ofSeconds(60));

      report
          .section("Latency: publish to commit at half the sustained rate")
          .line("p50", duration(p50))
          .line("p99", duration(p99))
          .line(
              "of which publish to receipt",
              "p50 "
                  + duration(receipt[0])
                  + ", p99 "
                  + duration(receipt[1])
                  + " (received_at - ts)")
          .line(
              "load",
              rate(half.published().ratePerSecond())
                  + " achieved of "
                  + rate(halfRate)
                  + ", "
                  + count((long) age.count())
                  + " readings in "
                  + seconds(half.seconds())
                  + failures(half.published()))
          .section("Ingest process")
          .line("peak heap used", megabytes(watch.peakHeapBytes()) + " (max over all scrapes)")
          .line("peak RSS", megabytes(peakRss) + " (VmHWM)")
          .line("exit status after SIGTERM", exit + (exit == 143 ? " (normal for a JVM)" : ""));

      report
          .target(
              "ingest >= 85 % of (a)",
              percent(sustained / refA), verdict(sustained / refA, r -> r >= SHARE_OF_A_TARGET))
          .target(
              "ingest >= 5 x (b)",
              multiple(sustained / refB),
              verdict(sustained / refB, r -> r >= MULTIPLE_OF_B_TARGET))
          .target("zero loss", count(loss), Verdict.of(loss == 0))
          .target(
              "p99 < 1 s at half rate", duration(p99), verdict(p99, p -> p < P99_TARGET_SECONDS))
          .target(
              "heap < 256 MB",
              megabytes(watch.peakHeapBytes()),
              Verdict.of(watch.peakHeapBytes() < HEAP_TARGET_BYTES));
      if (duplicatesStored != 0) {
        report.warning(count(duplicatesStored) + " readings were stored twice");
      }
      if (exit != 143 && exit != 0) {
        report.warning("the ingest child exited with status " + exit + " after SIGTERM");
      }
      List<String> problems = child.loggedProblems();
      if (!problems.isEmpty()) {
        report.warning(
            "the ingest logged "
                + problems.size()
                + " warnings or errors, the first: "
                + problems.get(0).strip()
                + " (see "
                + child.log()
                + ")");
      }
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

  private Map<String, String> childSettings(ScratchDatabase db, String clientId, String root)
      throws IOException {
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
    return env;
  }

  private ScratchDatabase createDatabase(String name) {
    String password = System.getenv().getOrDefault("PGPASSWORD", "");
    try {
      return ScratchDatabase.create(dbUrl, dbUser, password, name);
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

  /**
   * The child process, its broker session and the run's database: stopped, discarded and dropped
   * once, by whichever comes first of the normal end of the run and the JVM's shutdown (Ctrl-C).
   */
  private static final class Leftovers {
    private IngestChild child;
    private String mqttUrl;
    private String clientId;
    private ScratchDatabase database;
    private boolean keepDatabase;

    synchronized void child(IngestChild child, String mqttUrl, String clientId) {
      this.child = child;
      this.mqttUrl = mqttUrl;
      this.clientId = clientId;
    }

    synchronized void database(ScratchDatabase database, boolean keep) {
      this.database = database;
      this.keepDatabase = keep;
    }

    synchronized void cleanUp() {
      if (child != null) {
        child.close();
        try {
          Broker.discardSession(mqttUrl, clientId);
        } catch (RuntimeException e) {
          LOG.warn(
              "cleanup - could not discard the broker session of {}: {}", clientId, e.getMessage());
        }
        child = null;
      }
      if (database != null) {
        if (keepDatabase) {
          LOG.info("cleanup - keeping database {} ({})", database.name(), database.url());
        } else {
          try {
            database.drop();
          } catch (SQLException e) {
            LOG.warn("cleanup - could not drop database {}: {}", database.name(), e.getMessage());
          }
        }
        database = null;
      }
    }
  }
}
