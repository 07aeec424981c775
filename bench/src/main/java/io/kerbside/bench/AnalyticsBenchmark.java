package io.kerbside.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.analytics.AnalyticsConfig;
import io.kerbside.analytics.AnalyticsMetrics;
import io.kerbside.analytics.AnalyticsVerticle;
import io.kerbside.analytics.evaluate.SchedulePass;
import io.kerbside.bench.db.ScratchDatabase;
import io.kerbside.core.config.DatabaseConfig;
import io.kerbside.core.config.Secret;
import io.kerbside.core.config.Settings;
import io.kerbside.core.db.DataSources;
import io.kerbside.core.db.Migrations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the analytics role as the town grows: for each size, a scratch database holds that many
 * devices (35 % bins, 45 % streetlights, 20 % pavements, each attached to an asset) with a day of
 * readings at their reporting interval, then the benchmark times
 *
 * <ol>
 *   <li>a reference in the same run: one SQL scan of every device's latest reading, the least any
 *       evaluator over the whole town must read;
 *   <li>the timer cycle over every device (offline and the other timer rules, escalation);
 *   <li>a catch-up reading pass: every device has its last half hour of readings unevaluated, as
 *       after a restart, and each is evaluated with its history;
 *   <li>reading-to-alert latency: with the role running, readings that make bins full are stored
 *       one by one; the time from each commit to its alert's record, p50 and p99.
 * </ol>
 *
 * Targets (issue): a cycle over 100,000 devices under 5 s; event-driven alerts within 5 s.
 */
@Command(
    name = "analytics-benchmark",
    mixinStandardHelpOptions = true,
    description = "Evaluation cost of Kerbside's analytics as the town grows.")
public final class AnalyticsBenchmark implements Callable<Integer> {
  @Option(
      names = "--sizes",
      split = ",",
      defaultValue = "1000,10000,100000",
      description = "Town sizes (devices). Default: ${DEFAULT-VALUE}")
  int[] sizes;

  @Option(
      names = "--db-url",
      defaultValue = "jdbc:postgresql://127.0.0.1:54317/postgres",
      description = "Admin JDBC URL of the cluster (TimescaleDB test server by default)")
  String dbUrl;

  @Option(names = "--db-user", defaultValue = "postgres", description = "Admin user")
  String dbUser;

  @Option(
      names = "--alerts",
      defaultValue = "200",
      description = "Readings stored one by one for the latency measure. Default: ${DEFAULT-VALUE}")
  int alerts;

  @Option(names = "--keep", description = "Keep the scratch databases (to look at them afterwards)")
  boolean keep;

  private record Figures(
      int devices,
      long readings,
      double loadS,
      double referenceS,
      double cycleS,
      long cycleEvaluations,
      double catchUpS,
      int catchUpDevices,
      double latencyP50Ms,
      double latencyP99Ms,
      double latencyMaxMs,
      int latencySamples) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new AnalyticsBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String password = System.getenv().getOrDefault("PGPASSWORD", "");
    List<Figures> all = new ArrayList<>();
    for (int n : sizes) {
      String name = "kerbside_bench_analytics_" + n + "_" + (System.currentTimeMillis() % 100_000);
      ScratchDatabase db = ScratchDatabase.create(dbUrl, dbUser, password, name);
      try {
        all.add(run(db, n, password));
      } finally {
        if (!keep) {
          db.drop();
        }
      }
      print(all);
    }
    return verdict(all);
  }

  private Figures run(ScratchDatabase scratch, int n, String password) throws Exception {
    DatabaseConfig config =
        new DatabaseConfig(
            scratch.url(),
            dbUser,
            password.isEmpty() ? Secret.empty() : Secret.of(password),
            6,
            DatabaseConfig.StorageChoice.AUTO,
            395,
            false,
            7);
    try (HikariDataSource ds = DataSources.open(config, "bench-analytics", null)) {
      Migrations.migrate(ds, config);
      System.out.printf(Locale.ROOT, "%n== %,d devices: loading a day of readings ...%n", n);
      long t0 = System.nanoTime();
      long readings = load(ds, n);
      double loadS = seconds(t0);
      System.out.printf(Locale.ROOT, "   %,d readings loaded in %.1f s%n", readings, loadS);

      double referenceS = reference(ds);

      AnalyticsConfig analytics =
          AnalyticsConfig.from(
              Settings.from(
                  Map.of(
                      AnalyticsConfig.DEVICES_PER_PASS, "2000",
                      AnalyticsConfig.POLL_INTERVAL, "200")));
      AnalyticsMetrics metrics = new AnalyticsMetrics(new SimpleMeterRegistry());
      AnalyticsVerticle service = new AnalyticsVerticle(analytics, ds, metrics, Clock.systemUTC());

      double[] cycles = new double[3];
      long evaluations = 0;
      for (int i = 0; i < cycles.length; i++) {
        long c0 = System.nanoTime();
        SchedulePass.Cycle cycle = service.schedulePass().run().orElseThrow();
        cycles[i] = seconds(c0);
        evaluations = cycle.evaluations();
      }
      Arrays.sort(cycles);
      System.out.printf(
          Locale.ROOT,
          "   timer cycle: %.2f s (median of 3, %,d rule evaluations)%n",
          cycles[1],
          evaluations);

      long c1 = System.nanoTime();
      int caught = 0;
      int done;
      while ((done = service.readingPass().run()) > 0) {
        caught += done;
        if (caught >= n) {
          break;
        }
      }
      double catchUpS = seconds(c1);
      System.out.printf(
          Locale.ROOT, "   catch-up reading pass: %,d devices in %.2f s%n", caught, catchUpS);

      double[] latency = latency(ds, analytics, n);
      return new Figures(
          n,
          readings,
          loadS,
          referenceS,
          cycles[1],
          evaluations,
          catchUpS,
          caught,
          latency[0],
          latency[1],
          latency[2],
          (int) latency[3]);
    }
  }

  /** Assets, devices and a day of plausible readings, all generated in the database. */
  private static long load(HikariDataSource ds, int n) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("SET search_path = kerbside, public");
      st.execute(
          "INSERT INTO asset (council_id, asset_ref, kind, name, latitude, longitude, ward,"
              + " bin_depth_mm, rated_power_w)"
              + " SELECT 1, 'BENCH/' || i,"
              + " CASE WHEN i % 20 < 7 THEN 'bin' WHEN i % 20 < 16 THEN 'streetlight'"
              + " ELSE 'pavement' END, 'asset ' || i, 52.17 + (i % 300) * 0.0003,"
              + " 0.08 + (i / 300) * 0.00005, 'Ward ' || (i % 7), 1000, 70"
              + " FROM generate_series(1, "
              + n
              + ") i");
      st.execute(
          "INSERT INTO device (council_id, device_id, kind, asset_pk, attached_at,"
              + " expected_interval_s, registration, last_seen_at)"
              + " SELECT 1, 'bench-' || lpad(asset_pk::text, 6, '0'), kind, asset_pk,"
              + " now() - interval '2 days', CASE kind WHEN 'bin' THEN 900 ELSE 600 END,"
              + " 'registered', now() FROM asset");
      st.execute(
          "INSERT INTO device_attachment (council_id, device_pk, asset_pk, attached_at)"
              + " SELECT council_id, device_pk, asset_pk, attached_at FROM device");
      try (ResultSet rs =
          st.executeQuery("SELECT to_regproc('ensure_reading_partitions') IS NOT NULL")) {
        rs.next();
        if (rs.getBoolean(1)) {
          st.execute("SELECT ensure_reading_partitions(current_date - 2, current_date + 1)");
        }
      }
      long total = 0;
      int step = 5000;
      for (int from = 1; from <= n; from += step) {
        int to = Math.min(n, from + step - 1);
        total += st.executeUpdate(readingsSql("bin", from, to));
        total += st.executeUpdate(readingsSql("streetlight", from, to));
        total += st.executeUpdate(readingsSql("pavement", from, to));
      }
      st.execute("ANALYZE reading");
      st.execute("ANALYZE device");
      st.execute("ANALYZE asset");
      // Everything older than half an hour has been evaluated; the cursor is before the load.
      st.execute(
          "INSERT INTO analytics_progress (device_pk, evaluated_until)"
              + " SELECT device_pk, now() - interval '30 minutes' FROM device");
      return total;
    }
  }

  private static String readingsSql(String kind, int from, int to) {
    String values =
        switch (kind) {
          case "bin" ->
              "fill_pct, temp_c, tilt_deg, battery_v) SELECT 1, d.device_pk, t, t,"
                  // a sawtooth that rises to at most 80 % and is emptied every 18 hours
                  + " least(80, mod((extract(epoch FROM t - g.start) / 3600 + d.device_pk % 18)::numeric,"
                  + " 18) * 4.4)::float8,"
                  + " 8 + 4 * sin(extract(epoch FROM t) / 13751), 2 + (d.device_pk % 3),"
                  + " 3.62 - (d.device_pk % 5) * 0.01";
          case "streetlight" ->
              "lamp_on, dim_pct, power_w, voltage_v, lux) SELECT 1, d.device_pk, t, t,"
                  + " lit, lit::int * 100, CASE WHEN lit THEN 71 + (d.device_pk % 3) ELSE 0.4 END,"
                  + " 231 + (d.device_pk % 4), CASE WHEN lit THEN 3 ELSE 8000 END";
          default ->
              "surface_temp_c, air_temp_c, moisture_pct, water_film_mm, vibration_g, crack_mm,"
                  + " battery_v) SELECT 1, d.device_pk, t, t,"
                  + " 7 + 3 * sin(extract(epoch FROM t) / 13751) + (d.device_pk % 7) * 0.1,"
                  + " 8 + 3 * sin(extract(epoch FROM t) / 13751), 35, 0,"
                  + " 0.2 + (d.device_pk % 10) * 0.01, 2 + (d.device_pk % 4) * 0.5, 3.6";
        };
    String lit =
        kind.equals("streetlight")
            // Lit from an hour after sunset to an hour before sunrise, UK winter (UTC).
            ? ", LATERAL (SELECT extract(hour FROM t AT TIME ZONE 'UTC') >= 17"
                + " OR extract(hour FROM t AT TIME ZONE 'UTC') < 7 AS lit) l"
            : "";
    return "INSERT INTO reading (council_id, device_pk, ts, received_at, "
        + values
        + " FROM device d"
        + " CROSS JOIN LATERAL (SELECT date_trunc('minute', now()) - interval '1 day' AS start) g"
        + " CROSS JOIN LATERAL generate_series(g.start + (d.device_pk % (d.expected_interval_s / 60))"
        + " * interval '1 minute', now() - interval '1 minute',"
        + " d.expected_interval_s * interval '1 second') t"
        + lit
        + " WHERE d.kind = '"
        + kind
        + "' AND d.asset_pk BETWEEN "
        + from
        + " AND "
        + to;
  }

  /** Reference: one scan of every device's latest reading over the day. */
  private static double reference(HikariDataSource ds) throws SQLException {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      long t0 = System.nanoTime();
      try (Connection c = ds.getConnection();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT count(*) FROM (SELECT DISTINCT ON (device_pk) device_pk, ts, fill_pct,"
                      + " power_w, surface_temp_c FROM kerbside.reading"
                      + " WHERE ts > now() - interval '1 day' ORDER BY device_pk, ts DESC) x")) {
        rs.next();
      }
      best = Math.min(best, seconds(t0));
    }
    System.out.printf(
        Locale.ROOT, "   reference (latest reading of every device, one scan): %.2f s%n", best);
    return best;
  }

  /** Stores full-bin readings one by one with the role running; commit-to-alert latencies. */
  private double[] latency(HikariDataSource ds, AnalyticsConfig config, int n) throws Exception {
    List<Long> bins = new ArrayList<>();
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT device_pk FROM kerbside.device WHERE kind = 'bin' AND device_pk NOT IN"
                    + " (SELECT device_pk FROM kerbside.alert WHERE rule = 'bin-full')"
                    + " ORDER BY device_pk LIMIT "
                    + alerts)) {
      while (rs.next()) {
        bins.add(rs.getLong(1));
      }
    }
    AnalyticsMetrics metrics = new AnalyticsMetrics(new SimpleMeterRegistry());
    Vertx vertx = Vertx.vertx();
    try {
      vertx.deployVerticle(new AnalyticsVerticle(config, ds, metrics, Clock.systemUTC())).await();
      // Steady state: let the role's first passes (a timer cycle over the whole town) finish.
      Thread.sleep(5000);
      try (Connection c = ds.getConnection();
          PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO kerbside.reading (council_id, device_pk, ts, received_at, fill_pct,"
                      + " temp_c, tilt_deg, battery_v) VALUES (1, ?, now(), now(), 96, 9, 2, 3.6)")) {
        for (long pk : bins) {
          ps.setLong(1, pk);
          ps.executeUpdate();
          Thread.sleep(50);
        }
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (System.nanoTime() < deadline && raised(ds, bins) < bins.size()) {
        Thread.sleep(200);
      }
    } finally {
      vertx.close().await();
    }
    List<Double> ms = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT extract(epoch FROM a.opened_at - r.stored_at) * 1000"
                    + " FROM kerbside.alert a JOIN kerbside.reading r"
                    + " ON r.device_pk = a.device_pk AND r.ts = a.observed_at"
                    + " WHERE a.rule = 'bin-full' AND a.device_pk = ANY(?)")) {
      ps.setArray(1, c.createArrayOf("bigint", bins.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ms.add(rs.getDouble(1));
        }
      }
    }
    ms.sort(Double::compare);
    if (ms.size() < bins.size()) {
      System.out.printf(
          Locale.ROOT, "   only %d of %d readings raised their alert%n", ms.size(), bins.size());
    }
    double p50 = ms.isEmpty() ? Double.NaN : ms.get((int) Math.floor(0.5 * (ms.size() - 1)));
    double p99 = ms.isEmpty() ? Double.NaN : ms.get((int) Math.ceil(0.99 * (ms.size() - 1)));
    double max = ms.isEmpty() ? Double.NaN : ms.get(ms.size() - 1);
    System.out.printf(
        Locale.ROOT,
        "   reading-to-alert (%d alerts, role polling every %d ms): p50 %.0f ms, p99 %.0f ms,"
            + " max %.0f ms%n",
        ms.size(),
        config.pollInterval().toMillis(),
        p50,
        p99,
        max);
    return new double[] {p50, p99, max, ms.size()};
  }

  private static long raised(HikariDataSource ds, List<Long> bins) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM kerbside.alert WHERE rule = 'bin-full'"
                    + " AND device_pk = ANY(?)")) {
      ps.setArray(1, c.createArrayOf("bigint", bins.toArray()));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void print(List<Figures> all) {
    System.out.printf(
        Locale.ROOT,
        "%n%-9s %12s %10s %12s %11s %14s %12s %12s %12s%n",
        "devices",
        "readings",
        "load s",
        "reference s",
        "timer s",
        "evaluations",
        "catch-up s",
        "alert p50 ms",
        "alert p99 ms");
    for (Figures f : all) {
      System.out.printf(
          Locale.ROOT,
          "%-9d %12d %10.1f %12.2f %11.2f %14d %12.2f %12.0f %12.0f%n",
          f.devices(),
          f.readings(),
          f.loadS(),
          f.referenceS(),
          f.cycleS(),
          f.cycleEvaluations(),
          f.catchUpS(),
          f.latencyP50Ms(),
          f.latencyP99Ms());
    }
  }

  private static int verdict(List<Figures> all) {
    boolean ok = true;
    for (Figures f : all) {
      boolean cycle = f.devices() < 100_000 || f.cycleS() < 5.0;
      boolean latency = f.latencyP99Ms() < 5000;
      System.out.printf(
          Locale.ROOT,
          "%,d devices: timer cycle %.2f s (%.1fx the reference scan)%s; reading-to-alert p99 %.0f"
              + " ms %s%n",
          f.devices(),
          f.cycleS(),
          f.cycleS() / f.referenceS(),
          f.devices() >= 100_000 ? (cycle ? " PASS (< 5 s)" : " FAIL (>= 5 s)") : "",
          f.latencyP99Ms(),
          latency ? "PASS (< 5 s)" : "FAIL (>= 5 s)");
      ok &= cycle && latency;
    }
    return ok ? 0 : 1;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
