package io.kerbside.analytics.notify.it;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.analytics.notify.DeliveryConfig;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A fresh migrated database with one asset and device, and SQL to queue deliveries the way the
 * alert lifecycle does: an alert, an event, and one pending delivery row per channel.
 */
public final class DeliveryFixtures implements AutoCloseable {
  public final TestDatabase db;
  public final HikariDataSource ds;
  final long assetPk;
  final long devicePk;
  private int alerts;

  private DeliveryFixtures(TestDatabase db, HikariDataSource ds, long assetPk, long devicePk) {
    this.db = db;
    this.ds = ds;
    this.assetPk = assetPk;
    this.devicePk = devicePk;
  }

  public static DeliveryFixtures create() throws SQLException {
    TestDatabase db = TestDatabase.create(TestServices.Db.POSTGRES);
    HikariDataSource ds = db.migrated();
    long asset =
        insert(
            ds,
            "INSERT INTO asset (council_id, asset_ref, kind, name, latitude, longitude, street, ward)"
                + " VALUES (1, 'BIN-0042', 'bin', 'Market Square bin', 52.2053, 0.1218,"
                + " 'Market Street', 'Castle') RETURNING asset_pk");
    long device =
        insert(
            ds,
            "INSERT INTO device (council_id, device_id, kind, asset_pk, asset_ref)"
                + " VALUES (1, 'bin-0042', 'bin', "
                + asset
                + ", 'BIN-0042') RETURNING device_pk");
    return new DeliveryFixtures(db, ds, asset, device);
  }

  /** Fast retries so that a test sees several attempts within seconds. */
  public static DeliveryConfig fastRetries(int maxAttempts) {
    return new DeliveryConfig(2, 5, 20, 50, 200, maxAttempts, 30, 1);
  }

  /** An open alert on the fixture's asset (each on its own rule, so they never collide). */
  public long alert(String rule) throws SQLException {
    String r = rule + (alerts++ == 0 ? "" : "-" + alerts);
    return insert(
        ds,
        "INSERT INTO alert (council_id, subject, rule, kind, severity, status, asset_pk, device_pk,"
            + " ward, summary, value, peak_value, observed_at, last_observed_at)"
            + " VALUES (1, 'asset/"
            + assetPk
            + "', '"
            + r
            + "', 'bin', 'major', 'open', "
            + assetPk
            + ", "
            + devicePk
            + ", 'Castle', 'Bin 91% full', 91, 93.5, now(), now()) RETURNING alert_id");
  }

  public long event(long alertId, String type) throws SQLException {
    return insert(
        ds,
        "INSERT INTO alert_event (alert_id, type, actor) VALUES ("
            + alertId
            + ", '"
            + type
            + "', 'analytics') RETURNING alert_event_id");
  }

  public long delivery(long alertId, long eventId, String channel) throws SQLException {
    return insert(
        ds,
        "INSERT INTO delivery (alert_event_id, alert_id, channel) VALUES ("
            + eventId
            + ", "
            + alertId
            + ", '"
            + channel
            + "') RETURNING delivery_id");
  }

  /** An opened alert with one delivery queued to {@code channel}; returns the delivery id. */
  public long queued(String rule, String channel) throws SQLException {
    long alert = alert(rule);
    return delivery(alert, event(alert, "opened"), channel);
  }

  public String text(String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement st = c.prepareStatement(sql);
        ResultSet rs = st.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  public String status(long deliveryId) throws SQLException {
    return text("SELECT status FROM delivery WHERE delivery_id = " + deliveryId);
  }

  /** The delivery log: "outcome/status_code" per attempt, in order. */
  public List<String> attempts(long deliveryId) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = ds.getConnection();
        PreparedStatement st =
            c.prepareStatement(
                "SELECT outcome, status_code FROM delivery_attempt WHERE delivery_id = ?"
                    + " ORDER BY attempt")) {
      st.setLong(1, deliveryId);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String outcome = rs.getString(1);
          int code = rs.getInt(2);
          out.add(outcome + (rs.wasNull() ? "" : "/" + code));
        }
      }
    }
    return out;
  }

  public void execute(String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement st = c.prepareStatement(sql)) {
      st.execute();
    }
  }

  private static long insert(javax.sql.DataSource ds, String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement st = c.prepareStatement(sql);
        ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public void close() throws SQLException {
    ds.close();
    db.close();
  }
}
