package io.kerbside.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kerbside's functions do not depend on the caller's {@code search_path}: Grafana, psql and the
 * other roles call them schema-qualified from sessions that do not have {@code kerbside} on their
 * path. Both storage layouts, since each creates its own maintenance functions.
 */
class FunctionSearchPathIT {

  /**
   * Every function of the schema, by name, with a schema-qualified call. A new function needs a
   * call here: {@link #everyFunctionWorksForACallerWithoutTheSchemaOnItsSearchPath} fails until it
   * has one.
   */
  private static final Map<String, String> CALLS = calls();

  private static Map<String, String> calls() {
    Map<String, String> calls = new LinkedHashMap<>();
    calls.put(
        "ensure_reading_partitions",
        "SELECT kerbside.ensure_reading_partitions((now() AT TIME ZONE 'UTC')::date - 1,"
            + " (now() AT TIME ZONE 'UTC')::date + 1)");
    calls.put(
        "sequence_gaps",
        "SELECT count(*), sum(readings), sum(lost), sum(resets)"
            + " FROM kerbside.sequence_gaps(now() - interval '1 day', now() + interval '1 hour')");
    calls.put(
        "refresh_reading_rollups",
        "SELECT kerbside.refresh_reading_rollups(now() - interval '2 hours', now())");
    calls.put("apply_reading_retention", "SELECT kerbside.apply_reading_retention(30)");
    calls.put("apply_rollup_retention", "SELECT kerbside.apply_rollup_retention(30)");
    calls.put("apply_role_prefix", "SELECT kerbside.apply_role_prefix('kerbside')");
    calls.put(
        "bin_rationalisation",
        "SELECT count(*) FROM kerbside.bin_rationalisation(1, now() - interval '4 weeks', now())");
    calls.put(
        "collection_route_points",
        "SELECT count(*) FROM kerbside.collection_route_points(1, now() - interval '1 day', now())");
    return calls;
  }

  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void everyFunctionWorksForACallerWithoutTheSchemaOnItsSearchPath(TestServices.Db cluster)
      throws Exception {
    try (TestDatabase db = TestDatabase.create(cluster);
        HikariDataSource ds = db.migrated();
        Connection c = DriverManager.getConnection(db.url(), TestServices.adminUser(), "");
        Statement st = c.createStatement()) {
      assertThat(CALLS.keySet())
          .as("functions of the schema, each with a call in CALLS")
          .containsExactlyInAnyOrderElementsOf(functionNames(db));
      st.execute("SET search_path = public");

      st.execute(CALLS.get("ensure_reading_partitions"));
      // One device, one reading a minute: seq 1, 2, 5 (3 and 4 lost), then a reset to 1.
      st.execute(
          "INSERT INTO kerbside.reading (council_id, device_pk, ts, received_at, seq, fill_pct)"
              + " SELECT 1, 7, date_trunc('minute', now()) - make_interval(mins => 10 - m), now(),"
              + " s, 50 FROM (VALUES (1, 1), (2, 2), (3, 5), (4, 1)) AS v(m, s)");
      try (ResultSet rs = st.executeQuery(CALLS.get("sequence_gaps"))) {
        rs.next();
        assertThat(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)})
            .as("devices, readings, lost, resets")
            .containsExactly(1, 4, 2, 1);
      }
      assertThat(single(st, CALLS.get("refresh_reading_rollups"))).isPositive();
      assertThat(single(st, CALLS.get("apply_reading_retention"))).isZero();
      assertThat(single(st, CALLS.get("apply_rollup_retention"))).isZero();
      assertThat(single(st, "SELECT count(*) FROM kerbside.reading_hourly")).isPositive();
      assertThat(single(st, CALLS.get("bin_rationalisation"))).isZero();
      assertThat(single(st, CALLS.get("collection_route_points"))).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void everyFunctionOfTheSchemaPinsItsSearchPath(TestServices.Db cluster) throws Exception {
    try (TestDatabase db = TestDatabase.create(cluster);
        HikariDataSource ds = db.migrated();
        Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT p.oid::regprocedure::text FROM pg_proc p"
                    + " JOIN pg_namespace n ON n.oid = p.pronamespace"
                    + " WHERE n.nspname = '"
                    + Migrations.SCHEMA
                    + "' AND p.prokind IN ('f', 'p')"
                    + " AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) AS setting"
                    + "                 WHERE setting LIKE 'search\\_path=%')"
                    + " ORDER BY 1")) {
      List<String> unpinned = new ArrayList<>();
      while (rs.next()) {
        unpinned.add(rs.getString(1));
      }
      assertThat(unpinned).as("functions without SET search_path").isEmpty();
      assertThat(functionNames(db)).isNotEmpty();
    }
  }

  private static List<String> functionNames(TestDatabase db) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = db.connect();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                    + " WHERE n.nspname = '"
                    + Migrations.SCHEMA
                    + "' AND p.prokind IN ('f', 'p') ORDER BY 1")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private static long single(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
