package io.kerbside.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** kerbside_grafana reads what the dashboards show and can change nothing. */
class GrafanaRoleIT {
  private static final String LOGIN = "kerbside_grafana_role_it";
  private static final String PASSWORD = "grafana-role-it-password";

  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void readsWhatTheDashboardsNeedAndNothingElse(TestServices.Db cluster) throws Exception {
    try (TestDatabase db = TestDatabase.create(cluster)) {
      try (HikariDataSource ds = db.migrated();
          Connection c = ds.getConnection();
          Statement st = c.createStatement()) {
        st.execute(
            "INSERT INTO kerbside.dead_letter (council_id, received_at, topic, format, reason,"
                + " payload, payload_size) VALUES (1, now(), 't', 'native', 'malformed_json',"
                + " 'secret'::bytea, 6)");
        st.execute(
            "INSERT INTO kerbside.api_key (council_id, key_sha256) VALUES (1, sha256('k'::bytea))");
      }
      db.createLogin(LOGIN, PASSWORD, "kerbside_grafana");
      try (Connection c = DriverManager.getConnection(db.url(), LOGIN, PASSWORD);
          Statement st = c.createStatement()) {
        for (String readable :
            List.of(
                "SELECT count(*) FROM kerbside.council",
                "SELECT count(*) FROM kerbside.device",
                "SELECT count(*) FROM kerbside.asset",
                "SELECT count(*) FROM kerbside.reading",
                "SELECT count(*) FROM kerbside.reading_hourly",
                "SELECT count(*) FROM kerbside.reading_ward_hourly",
                "SELECT count(*) FROM kerbside.alert",
                "SELECT count(*) FROM kerbside.collection_plan",
                "SELECT count(*) FROM kerbside.collection_stop",
                "SELECT count(*) FROM kerbside.bin_rationalisation(1, now() - interval '4 weeks',"
                    + " now())",
                "SELECT reason, detail, payload_size, received_at FROM kerbside.dead_letter")) {
          st.executeQuery(readable).close();
        }
        for (String denied :
            List.of(
                "SELECT * FROM kerbside.api_key",
                "SELECT payload FROM kerbside.dead_letter",
                "SELECT * FROM kerbside.dead_letter",
                "SELECT * FROM kerbside.device_attachment",
                "SELECT * FROM kerbside.flyway_schema_history",
                "SELECT * FROM kerbside.alert_event",
                "SELECT * FROM kerbside.delivery",
                "SELECT * FROM kerbside.analytics_cursor",
                "UPDATE kerbside.alert SET status = 'resolved'",
                "UPDATE kerbside.collection_stop SET status = 'planned'",
                "INSERT INTO kerbside.collection_plan (council_id, plan_date, round, planned_by)"
                    + " VALUES (1, current_date, 'x', 'grafana')",
                "INSERT INTO kerbside.council (slug, name) VALUES ('x', 'x')",
                "UPDATE kerbside.device SET expected_interval_s = 1",
                "DELETE FROM kerbside.reading",
                "DELETE FROM kerbside.reading_hourly",
                "TRUNCATE kerbside.reading_ward_hourly",
                "INSERT INTO kerbside.reading (council_id, device_pk, ts, received_at)"
                    + " VALUES (1, 1, now(), now())",
                "CREATE TABLE kerbside.grafana_was_here (x int)",
                "SELECT kerbside.refresh_reading_rollups(now() - interval '1 hour', now())",
                "SELECT kerbside.apply_rollup_retention(1)",
                "SELECT kerbside.apply_reading_retention(1)",
                "SELECT kerbside.ensure_reading_partitions(current_date, current_date)")) {
          assertThatThrownBy(() -> st.execute(denied))
              .as(denied)
              .isInstanceOfSatisfying(
                  SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
        }
      }
    }
  }
}
