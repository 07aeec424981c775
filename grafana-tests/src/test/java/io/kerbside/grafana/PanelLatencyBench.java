package io.kerbside.grafana;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.db.ReadingRollups;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import io.kerbside.grafana.GrafanaFiles.Dashboard;
import io.kerbside.grafana.GrafanaFiles.PanelQuery;
import io.kerbside.grafana.GrafanaMacros.Dialect;
import io.kerbside.grafana.GrafanaMacros.TimeRange;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Panel query latency of every SQL panel over a long range, with the rollups and without them (the
 * same panels reading views that compute the rollups from the raw readings on the fly).
 *
 * <p>Loads {@code --devices} devices with {@code --days} days of readings every {@code
 * --interval-min} minutes, generated in SQL, into a fresh database of the test cluster, refreshes
 * the rollups as ingest would, then runs each panel as the Grafana role {@code --runs} times after
 * one warm-up (a panel slower than 5 s once is timed once) and prints p50/p95 per mode. Run with
 * scripts/grafana-bench.sh; the database is dropped at the end.
 */
public final class PanelLatencyBench {
  private static final String LOGIN = "kerbside_grafana_bench";
  private static final double SLOW_MS = 5_000;
  private static final String PASSWORD = "grafana-bench-password";
  private static final String[] WARDS = {
    "Market", "Abbey", "Arbury", "Castle", "Coleridge", "Newnham", "Trumpington"
  };

  private int devices = 10_000;
  private int days = 30;
  private int intervalMin = 30;
  private int runs = 5;
  private int timeoutS = 120;
  private TestServices.Db cluster = TestServices.Db.TIMESCALEDB;
  private boolean keep;
  private boolean loadOnly;

  public static void main(String[] args) throws Exception {
    PanelLatencyBench b = new PanelLatencyBench();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--devices" -> b.devices = Integer.parseInt(args[++i]);
        case "--days" -> b.days = Integer.parseInt(args[++i]);
        case "--interval-min" -> b.intervalMin = Integer.parseInt(args[++i]);
        case "--runs" -> b.runs = Integer.parseInt(args[++i]);
        case "--timeout-s" -> b.timeoutS = Integer.parseInt(args[++i]);
        case "--db" ->
            b.cluster =
                args[++i].equals("pg") ? TestServices.Db.POSTGRES : TestServices.Db.TIMESCALEDB;
        case "--keep" -> b.keep = true;
        case "--load-only" -> b.loadOnly = b.keep = true;
        case "--help", "-h" -> {
          System.out.println(
              "usage: grafana-bench.sh [--devices 10000] [--days 30] [--interval-min 30]"
                  + " [--runs 5] [--timeout-s 120] [--db tsdb|pg] [--keep] [--load-only]");
          return;
        }
        default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
      }
    }
    b.run();
  }

  private void run() throws Exception {
    System.out.printf(
        Locale.ROOT,
        "grafana panel latency: %,d devices x %d days, a reading every %d min (%,d readings), %s%n",
        devices,
        days,
        intervalMin,
        (long) devices * days * 24 * 60 / intervalMin,
        cluster == TestServices.Db.TIMESCALEDB
            ? "TimescaleDB (Apache edition)"
            : "PostgreSQL 15, daily partitions");
    TestDatabase db = TestDatabase.create(cluster);
    try {
      Instant to = Instant.now().truncatedTo(ChronoUnit.MINUTES);
      Instant from = to.minus(Duration.ofDays(days));
      try (HikariDataSource ds = db.migrated()) {
        long t0 = System.nanoTime();
        load(db, ds, from, to);
        long t1 = System.nanoTime();
        System.out.printf(Locale.ROOT, "loaded in %.0f s%n", (t1 - t0) / 1e9);
        if (loadOnly) {
          return;
        }
        ReadingRollups rollups = new ReadingRollups(ds, 395, Clock.systemUTC());
        for (Instant d = from; d.isBefore(to); d = d.plus(Duration.ofDays(1))) {
          Instant e = d.plus(Duration.ofDays(1));
          rollups.refresh(d, (e.isAfter(to) ? to : e).minusMillis(1));
        }
        long t2 = System.nanoTime();
        System.out.printf(
            Locale.ROOT,
            "rollups refreshed in %.0f s (%.1f s per day of readings); one refresh of the recent"
                + " hour: %.0f ms%n",
            (t2 - t1) / 1e9,
            (t2 - t1) / 1e9 / days,
            timeRecentRefresh(rollups) / 1e6);
        try (Connection c = db.connect();
            Statement st = c.createStatement()) {
          st.execute("ANALYZE");
          createRawViews(st);
        }
      }
      db.createLogin(LOGIN, PASSWORD, "kerbside_grafana");
      TimeRange range = new TimeRange(from, to);
      try (Connection c = DriverManager.getConnection(db.url(), LOGIN, PASSWORD)) {
        List<Panel> panels = panels(c, range);
        System.out.printf(
            Locale.ROOT,
            "%d SQL panel queries, %d runs each after a warm-up, range %d days%n%n",
            panels.size(),
            runs,
            days);
        System.out.printf(Locale.ROOT, "%-72s %12s %14s%n", "panel", "rollups ms", "no rollups ms");
        List<Double> with = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        for (Panel p : panels) {
          double[] a = time(c, p.sql);
          double[] b = p.sql.equals(p.rawSql) ? a : time(c, p.rawSql);
          for (double x : a) {
            with.add(x);
          }
          for (double x : b) {
            without.add(x);
          }
          System.out.printf(
              Locale.ROOT, "%-72s %12s %14s%n", shorten(p.name), ms(median(a)), ms(median(b)));
        }
        System.out.printf(Locale.ROOT, "%nall SQL panels, %d executions each mode:%n", with.size());
        System.out.printf(
            Locale.ROOT,
            "  with rollups     p50 %8s ms   p95 %8s ms   max %8s ms%n",
            ms(pct(with, 50)),
            ms(pct(with, 95)),
            ms(pct(with, 100)));
        System.out.printf(
            Locale.ROOT,
            "  without rollups  p50 %8s ms   p95 %8s ms   max %8s ms%n",
            ms(pct(without, 50)),
            ms(pct(without, 95)),
            ms(pct(without, 100)));
        System.out.printf(
            Locale.ROOT,
            "  (a query cut off by the %d s timeout counts as %d s)%n",
            timeoutS,
            timeoutS);
      }
    } finally {
      if (keep) {
        System.out.println("kept database " + db.url());
      } else {
        db.close();
      }
    }
  }

  record Panel(String name, String sql, String rawSql) {}

  private List<Panel> panels(Connection c, TimeRange range) throws SQLException {
    List<Panel> out = new ArrayList<>();
    for (Dashboard d : GrafanaFiles.dashboards()) {
      GrafanaMacros macros = new GrafanaMacros(range, cluster == TestServices.Db.TIMESCALEDB);
      for (TemplateVariable v : d.variables()) {
        List<String> options = options(c, macros, v);
        // Every multi-value variable on "All", except the asset: panels about chosen assets
        // would otherwise return nothing at all.
        boolean all = v.includeAll() && (!v.name().equals("asset") || options.isEmpty());
        macros.select(v, all ? List.of(GrafanaMacros.ALL) : List.of(options.get(0)), options);
      }
      for (PanelQuery q : d.queries()) {
        if (q.isSql()) {
          String sql = macros.sql(q.text(), q.minInterval());
          out.add(
              new Panel(
                  d.uid().replace("kerbside-", "")
                      + " / "
                      + q.panel().path("title").asText()
                      + " "
                      + q.target().path("refId").asText(),
                  sql,
                  sql.replace("kerbside.reading_hourly", "bench_raw.reading_hourly")
                      .replace("kerbside.reading_ward_hourly", "bench_raw.reading_ward_hourly")));
        }
      }
    }
    return out;
  }

  private static List<String> options(Connection c, GrafanaMacros macros, TemplateVariable v)
      throws SQLException {
    if (v.type().equals("custom")) {
      return v.customOptions();
    }
    if (!"kerbside-db".equals(v.dataSourceUid())) {
      return List.of("none");
    }
    String sql = macros.expandSqlMacros(macros.interpolate(v.query(), Dialect.SQL, ""));
    List<String> values = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      int col = rs.getMetaData().getColumnCount() > 1 ? 2 : 1;
      while (rs.next()) {
        values.add(rs.getString(col));
      }
    }
    if (values.isEmpty() && !v.includeAll()) {
      throw new IllegalStateException("variable $" + v.name() + " has no options");
    }
    return values;
  }

  private double[] time(Connection c, String sql) throws SQLException {
    double[] ms = new double[runs];
    for (int i = -1; i < runs; i++) {
      long t0 = System.nanoTime();
      double elapsed;
      try (Statement st = c.createStatement()) {
        st.setQueryTimeout(timeoutS);
        try (ResultSet rs = st.executeQuery(sql)) {
          while (rs.next()) {
            // Grafana reads every row
          }
        }
        elapsed = (System.nanoTime() - t0) / 1e6;
      } catch (SQLException e) {
        if (!"57014".equals(e.getSQLState())) {
          throw new SQLException("panel query failed: " + e.getMessage() + "\n" + sql, e);
        }
        elapsed = timeoutS * 1000.0;
      }
      if (i >= 0) {
        ms[i] = elapsed;
      } else if (elapsed >= SLOW_MS) {
        // A query this slow is not cached into speed by a second run; one timing will do.
        Arrays.fill(ms, elapsed);
        return ms;
      }
    }
    return ms;
  }

  private static long timeRecentRefresh(ReadingRollups rollups) throws SQLException {
    long t0 = System.nanoTime();
    rollups.refreshRecent();
    return System.nanoTime() - t0;
  }

  /** A town of assets in seven wards with a device each, and their readings, all in SQL. */
  private void load(TestDatabase db, HikariDataSource ds, Instant from, Instant to)
      throws SQLException {
    new io.kerbside.core.db.ReadingMaintenance(ds, 395, Clock.systemUTC())
        .ensurePartitions(
            LocalDate.ofInstant(from, ZoneOffset.UTC), LocalDate.ofInstant(to, ZoneOffset.UTC));
    try (Connection c = db.connect();
        Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO asset (council_id, asset_ref, kind, name, latitude, longitude, ward,"
              + " rated_power_w)"
              + " SELECT 1, 'A' || i, k, k || ' ' || i, 52.2 + (i % 100) * 0.0005,"
              + "  0.12 + (i / 100) * 0.0005, (ARRAY['"
              + String.join("','", WARDS)
              + "'])[1 + i % 7], CASE WHEN k = 'streetlight' THEN 18 + (i % 8) * 16 END"
              + " FROM (SELECT i, CASE WHEN i % 20 < 7 THEN 'bin' WHEN i % 20 < 16 THEN"
              + " 'streetlight' ELSE 'pavement' END AS k FROM generate_series(1, "
              + devices
              + ") i) s");
      st.execute(
          "INSERT INTO device (council_id, device_id, kind, asset_pk, expected_interval_s)"
              + " SELECT 1, 'dev-' || asset_pk, kind, asset_pk, "
              + intervalMin * 60
              + " FROM asset ORDER BY asset_pk");
      // Alerts on one asset in 50 over the month, as analytics records them.
      st.execute(SimulatedTown.alertsSql(1, from, to, 50));
      st.execute("ANALYZE");
    }
    // One statement per day keeps each transaction and its sort small.
    for (Instant d = from; d.isBefore(to); d = d.plus(Duration.ofDays(1))) {
      Instant e = d.plus(Duration.ofDays(1)).isAfter(to) ? to : d.plus(Duration.ofDays(1));
      try (Connection c = db.connect();
          Statement st = c.createStatement()) {
        st.execute(
            "INSERT INTO reading (council_id, device_pk, ts, received_at, seq, fill_pct, temp_c,"
                + " tilt_deg, battery_v, lamp_on, dim_pct, power_w, energy_wh, burn_hours, lux,"
                + " surface_temp_c, air_temp_c, moisture_pct, water_film_mm, vibration_g, crack_mm)"
                + " SELECT 1, d.device_pk, t.ts, t.ts, (extract(epoch FROM t.ts) / "
                + intervalMin * 60
                + ")::bigint,"
                // bins: fill over three days, then emptied; warm; upright
                + " CASE WHEN b THEN ((h + d.device_pk * 7) % 72) * 100.0 / 72 END,"
                + " CASE WHEN b THEN 8 + 6 * sin(h / 3.82) END,"
                + " CASE WHEN b THEN 2 + d.device_pk % 5 END,"
                + " CASE WHEN b OR p THEN 3.6 - (d.device_pk % 50) * 0.01 END,"
                // streetlights: on from 16:00 to 08:00 UTC, a meter that counts while lit
                + " CASE WHEN l THEN night END,"
                + " CASE WHEN l THEN 100 END,"
                + " CASE WHEN l THEN CASE WHEN night THEN 18 + (d.device_pk % 8) * 16 ELSE 0 END END,"
                + " CASE WHEN l THEN h * (18 + (d.device_pk % 8) * 16) * 0.66 END,"
                + " CASE WHEN l THEN h * 0.66 END,"
                + " CASE WHEN l THEN CASE WHEN night THEN 2 ELSE 20000 END END,"
                // pavements: a daily temperature swing around 3 °C, damp, slowly cracking
                + " CASE WHEN p THEN 3 + 4 * sin(h / 3.82) + (d.device_pk % 5) * 0.3 END,"
                + " CASE WHEN p THEN 4 + 4 * sin(h / 3.82) END,"
                + " CASE WHEN p THEN 40 + 20 * sin(h / 11.0) END,"
                + " CASE WHEN p THEN 0.1 END,"
                + " CASE WHEN p THEN 0.2 + (d.device_pk % 10) * 0.01 END,"
                + " CASE WHEN p THEN (d.device_pk % 30) + h / 2000.0 END"
                + " FROM (SELECT device_pk, kind = 'bin' AS b, kind = 'streetlight' AS l,"
                + "        kind = 'pavement' AS p FROM device) d"
                + " CROSS JOIN LATERAL (SELECT g AS ts, extract(epoch FROM g) / 3600 AS h,"
                + "        extract(hour FROM g AT TIME ZONE 'UTC') NOT BETWEEN 8 AND 15 AS night"
                + "   FROM generate_series('"
                + d
                + "'::timestamptz + make_interval(secs => (d.device_pk * 37) % "
                + intervalMin * 60
                + "), '"
                + e
                + "'::timestamptz - interval '1 millisecond', interval '"
                + intervalMin
                + " minutes') g) t");
      }
    }
  }

  private static void createRawViews(Statement st) throws SQLException {
    String bucket =
        st.getConnection().getMetaData().getURL() != null && hasTimescale(st)
            ? "public.time_bucket(interval '1 hour', ts)"
            : "date_trunc('hour', ts)";
    st.execute("DROP SCHEMA IF EXISTS bench_raw CASCADE");
    st.execute("CREATE SCHEMA bench_raw");
    st.execute(
        "CREATE VIEW bench_raw.reading_hourly AS"
            + " SELECT council_id, device_pk, "
            + bucket
            + " AS bucket, count(*)::int AS readings, max(ts) AS last_ts, 0 AS seq_lost,"
            + " avg(fill_pct)::real AS fill_pct_avg, min(fill_pct) AS fill_pct_min,"
            + " max(fill_pct) AS fill_pct_max,"
            + " (array_agg(fill_pct ORDER BY ts DESC) FILTER (WHERE fill_pct IS NOT NULL))[1]"
            + "   AS fill_pct_last,"
            + " max(fill_pct) - min(fill_pct) AS fill_pct_drop_max, max(temp_c) AS temp_c_max,"
            + " max(tilt_deg) AS tilt_deg_max, min(battery_v) AS battery_v_min,"
            + " avg(lamp_on::int)::real AS lamp_on_ratio, 0 AS lamp_switches,"
            + " avg(dim_pct)::real AS dim_pct_avg, avg(power_w)::real AS power_w_avg,"
            + " (avg(power_w) FILTER (WHERE lamp_on))::real AS power_w_on_avg,"
            + " avg(lux)::real AS lux_avg, max(energy_wh) - min(energy_wh) AS energy_wh_used,"
            + " max(burn_hours) AS burn_hours_last, min(surface_temp_c) AS surface_temp_c_min,"
            + " avg(surface_temp_c)::real AS surface_temp_c_avg,"
            + " avg(air_temp_c)::real AS air_temp_c_avg, avg(moisture_pct)::real AS moisture_pct_avg,"
            + " max(water_film_mm) AS water_film_mm_max, avg(vibration_g)::real AS vibration_g_avg,"
            + " max(vibration_g) AS vibration_g_max, max(crack_mm) AS crack_mm_max"
            + " FROM kerbside.reading GROUP BY council_id, device_pk, "
            + bucket);
    st.execute(
        "CREATE VIEW bench_raw.reading_ward_hourly AS"
            + " SELECT h.council_id, h.bucket, d.kind, coalesce(a.ward, '') AS ward,"
            + " count(*)::int AS devices, sum(h.readings) AS readings, sum(h.seq_lost) AS seq_lost,"
            + " avg(h.fill_pct_avg)::real AS fill_pct_avg, max(h.fill_pct_max) AS fill_pct_max,"
            + " (count(*) FILTER (WHERE h.fill_pct_last >= 85))::int AS bins_full,"
            + " (count(*) FILTER (WHERE h.fill_pct_drop_max >= 30))::int AS collections,"
            + " min(h.battery_v_min) AS battery_v_min,"
            + " (count(*) FILTER (WHERE h.battery_v_min < 3.3))::int AS batteries_low,"
            + " sum(h.lamp_on_ratio)::real AS lamp_on_hours,"
            + " (count(*) FILTER (WHERE h.lamp_switches >= 4))::int AS lamps_cycling,"
            + " avg(h.power_w_avg)::real AS power_w_avg, sum(h.energy_wh_used) AS energy_wh_used,"
            + " min(h.surface_temp_c_min) AS surface_temp_c_min,"
            + " avg(h.surface_temp_c_avg)::real AS surface_temp_c_avg,"
            + " avg(h.moisture_pct_avg)::real AS moisture_pct_avg,"
            + " (count(*) FILTER (WHERE h.surface_temp_c_min <= 1 AND h.moisture_pct_avg >= 30))::int"
            + "   AS sections_ice_risk,"
            + " avg(h.vibration_g_avg)::real AS vibration_g_avg, max(h.vibration_g_max) AS vibration_g_max,"
            + " max(h.crack_mm_max) AS crack_mm_max"
            + " FROM bench_raw.reading_hourly h JOIN kerbside.device d ON d.device_pk = h.device_pk"
            + " LEFT JOIN kerbside.asset a ON a.asset_pk = d.asset_pk"
            + " GROUP BY h.council_id, h.bucket, d.kind, coalesce(a.ward, '')");
    st.execute("GRANT USAGE ON SCHEMA bench_raw TO kerbside_grafana");
    st.execute("GRANT SELECT ON ALL TABLES IN SCHEMA bench_raw TO kerbside_grafana");
  }

  private static boolean hasTimescale(Statement st) throws SQLException {
    try (ResultSet rs =
        st.executeQuery("SELECT count(*) FROM pg_extension WHERE extname = 'timescaledb'")) {
      rs.next();
      return rs.getLong(1) > 0;
    }
  }

  private static double median(double[] a) {
    double[] s = a.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  private static double pct(List<Double> values, int p) {
    List<Double> s = new ArrayList<>(values);
    s.sort(null);
    int i = (int) Math.ceil(p / 100.0 * s.size()) - 1;
    return s.get(Math.max(0, Math.min(s.size() - 1, i)));
  }

  private static String ms(double v) {
    return v >= 100
        ? String.format(Locale.ROOT, "%,.0f", v)
        : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String shorten(String s) {
    return s.length() <= 72 ? s : s.substring(0, 69) + "...";
  }
}
