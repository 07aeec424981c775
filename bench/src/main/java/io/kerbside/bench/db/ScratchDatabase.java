package io.kerbside.bench.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Properties;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A database created for one benchmark run on the cluster an admin JDBC URL points at, and dropped
 * by {@link #drop()}. The admin role must be allowed to create databases (and, for TimescaleDB, the
 * extension).
 */
public final class ScratchDatabase {
  private static final Pattern URL =
      Pattern.compile("(jdbc:postgresql://[^/?]+)(?:/([^?]*))?(\\?.*)?");
  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final String adminUrl;
  private final String name;
  private final String url;
  private final Properties credentials;

  private ScratchDatabase(String adminUrl, String name, String url, Properties credentials) {
    this.adminUrl = adminUrl;
    this.name = name;
    this.url = url;
    this.credentials = credentials;
  }

  /**
   * Creates database {@code name}.
   *
   * @param adminUrl a JDBC URL of an existing database on the cluster, e.g. {@code
   *     jdbc:postgresql://127.0.0.1:54317/postgres}
   * @param password empty for none
   */
  public static ScratchDatabase create(String adminUrl, String user, String password, String name)
      throws SQLException {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("unsupported database name " + name);
    }
    Properties credentials = new Properties();
    credentials.setProperty("user", user);
    if (!password.isEmpty()) {
      credentials.setProperty("password", password);
    }
    credentials.setProperty("ApplicationName", "kerbside-bench");
    ScratchDatabase db =
        new ScratchDatabase(adminUrl, name, withDatabase(adminUrl, name), credentials);
    try (Connection c = db.connectAdmin();
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return db;
  }

  /** {@code adminUrl} with its database replaced by {@code database}, keeping any parameters. */
  static String withDatabase(String adminUrl, String database) {
    Matcher m = URL.matcher(adminUrl);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a URL like jdbc:postgresql://host:port/database, got " + adminUrl);
    }
    return m.group(1) + "/" + database + (m.group(3) == null ? "" : m.group(3));
  }

  public String name() {
    return name;
  }

  /** JDBC URL of this database. */
  public String url() {
    return url;
  }

  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url, credentials);
  }

  private Connection connectAdmin() throws SQLException {
    return DriverManager.getConnection(adminUrl, credentials);
  }

  /** The server's version, TimescaleDB's if available, and the durability settings that matter. */
  public String describeServer() throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT current_setting('server_version'),"
                    + " (SELECT default_version FROM pg_available_extensions"
                    + "  WHERE name = 'timescaledb'),"
                    + " current_setting('fsync'), current_setting('synchronous_commit')")) {
      rs.next();
      String tsdb = rs.getString(2);
      return "PostgreSQL "
          + rs.getString(1)
          + (tsdb == null ? ", no TimescaleDB" : ", TimescaleDB " + tsdb + " available")
          + ", fsync="
          + rs.getString(3)
          + ", synchronous_commit="
          + rs.getString(4);
    }
  }

  /** The value of server setting {@code name}, e.g. {@code fsync}. */
  public String setting(String name) throws SQLException {
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement("SELECT current_setting(?)")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  /**
   * The storage layout Kerbside's migrations chose, from the comment on {@code kerbside.reading}.
   */
  public String readingLayout() throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT obj_description('kerbside.reading'::regclass, 'pg_class')")) {
      rs.next();
      String comment = rs.getString(1);
      int at = comment == null ? -1 : comment.indexOf("Layout: ");
      return at < 0 ? "unknown" : comment.substring(at + "Layout: ".length()).replace("'", "");
    }
  }

  /** What the ingest stored, for devices whose id starts with {@code deviceIdPrefix}. */
  public StoredReadings storedReadings(String deviceIdPrefix) throws SQLException {
    try (Connection c = connect()) {
      long all;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM kerbside.reading")) {
        rs.next();
        all = rs.getLong(1);
      }
      long deadLetters;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM kerbside.dead_letter")) {
        rs.next();
        deadLetters = rs.getLong(1);
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT count(*), count(DISTINCT (r.device_pk, r.seq)), count(DISTINCT r.device_pk)"
                  + " FROM kerbside.reading r JOIN kerbside.device d ON d.device_pk = r.device_pk"
                  + " WHERE starts_with(d.device_id, ?)")) {
        ps.setString(1, deviceIdPrefix);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new StoredReadings(rs.getLong(1), rs.getLong(2), rs.getLong(3), all, deadLetters);
        }
      }
    }
  }

  /**
   * The p50 and p99 of {@code received_at - ts} in seconds over the benchmark devices' readings
   * stamped at or after {@code from}: the publish-to-receipt part of their latency, when ts is the
   * publish time. NaN when there are none.
   */
  public double[] receiptDelaySeconds(String deviceIdPrefix, Instant from) throws SQLException {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP"
                    + " (ORDER BY extract(epoch FROM r.received_at - r.ts))"
                    + " FROM kerbside.reading r JOIN kerbside.device d ON d.device_pk = r.device_pk"
                    + " WHERE starts_with(d.device_id, ?) AND r.ts >= ?")) {
      ps.setString(1, deviceIdPrefix);
      ps.setObject(2, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        java.sql.Array a = rs.getArray(1);
        if (a == null) {
          return new double[] {Double.NaN, Double.NaN};
        }
        Double[] q = (Double[]) a.getArray();
        return new double[] {q[0], q[1]};
      }
    }
  }

  /**
   * Applies {@code inspect} to the process id of a backend serving this database ({@code
   * pg_backend_pid()}) while that backend is still connected (it exits when its connection closes).
   */
  public <T> T inspectBackend(LongFunction<T> inspect) throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return inspect.apply(rs.getLong(1));
    }
  }

  /**
   * Creates the table of the Node-RED reference (c): one row per reading, primary key {@code
   * (device, ts)} (Kerbside's identity of a reading, so a redelivered message is not stored twice).
   */
  public void createNodeRedTable() throws SQLException {
    try (Connection c = connect();
        Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS bench_nodered");
      st.execute(
          "CREATE TABLE bench_nodered (device text NOT NULL, ts timestamptz NOT NULL,"
              + " payload jsonb NOT NULL, PRIMARY KEY (device, ts))");
    }
  }

  /**
   * Rows of {@code bench_nodered} for devices whose id starts with {@code deviceIdPrefix}, and
   * distinct {@code (device, seq)} among them: {rows, distinct}.
   */
  public long[] nodeRedRows(String deviceIdPrefix) throws SQLException {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*), count(DISTINCT (device, payload->>'seq')) FROM bench_nodered"
                    + " WHERE starts_with(device, ?)")) {
      ps.setString(1, deviceIdPrefix);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  /** Drops the database, disconnecting anything still connected to it. */
  public void drop() throws SQLException {
    try (Connection c = connectAdmin();
        Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  /**
   * Counts from {@code kerbside.reading} and {@code kerbside.dead_letter}.
   *
   * @param rows rows of the benchmark's devices
   * @param distinctDeviceSeq distinct {@code (device, seq)} among them: below {@code rows} when a
   *     reading was stored twice under different timestamps
   * @param devices distinct benchmark devices with at least one row
   * @param allRows every row, including any from other publishers on the same broker
   * @param deadLetters rejected messages
   */
  public record StoredReadings(
      long rows, long distinctDeviceSeq, long devices, long allRows, long deadLetters) {}
}
