package io.kerbside.core.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code collection_route_points}, the Bins dashboard's route lines: the newest plan of each round
 * on the last day with plans in the range, each vehicle's route numbered by round and vehicle, from
 * its depot through its stops in order and back; unassigned stops, vehicles without stops, older
 * plans, earlier days and other councils left out.
 */
class CollectionRoutePointsIT {
  private static final LocalDate DAY = LocalDate.parse("2026-03-10");

  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void drawsEachVehiclesRouteOfTheNewestPlansFromDepotToDepot(TestServices.Db cluster)
      throws Exception {
    try (TestDatabase db = TestDatabase.create(cluster);
        HikariDataSource ds = db.migrated();
        Connection c = ds.getConnection()) {
      Councils councils = new Councils(ds);
      CouncilRef town = councils.find("default").orElseThrow();
      CouncilRef other = councils.add("other-town", "Other Town");
      Map<String, Long> bins = new HashMap<>();
      for (int i = 1; i <= 5; i++) {
        bins.put("A" + i, bin(c, town, "A" + i, 52.2 + i / 1000.0, 0.12 + i / 1000.0));
      }
      bins.put("B1", bin(c, other, "B1", 52.3, 0.2));
      String depots =
          "{\"routes\": [{\"vehicle\": \"rcv-1\", \"depot_lat\": 52.2, \"depot_lon\": 0.12,"
              + " \"start\": \"2026-03-10T06:00:00Z\", \"end\": \"2026-03-10T09:00:00Z\"},"
              + " {\"vehicle\": \"rcv-2\", \"depot_lat\": 52.21, \"depot_lon\": 0.13,"
              + " \"start\": \"2026-03-10T06:00:00Z\", \"end\": \"2026-03-10T08:00:00Z\"},"
              + " {\"vehicle\": \"rcv-3\", \"depot_lat\": 52.22, \"depot_lon\": 0.14,"
              + " \"start\": \"2026-03-10T06:00:00Z\", \"end\": \"2026-03-10T06:00:00Z\"}]}";
      // superseded by the newer plan of the same round and day
      long old = plan(c, town, DAY, "daily", "2026-03-10T05:00:00Z", depots);
      stop(c, town, old, 1, bins.get("A5"), "rcv-1", 1);
      long daily = plan(c, town, DAY, "daily", "2026-03-10T05:30:00Z", depots);
      stop(c, town, daily, 1, bins.get("A3"), "rcv-2", 1);
      stop(c, town, daily, 2, bins.get("A2"), "rcv-1", 2);
      stop(c, town, daily, 3, bins.get("A1"), "rcv-1", 1);
      stop(c, town, daily, 4, bins.get("A4"), null, null);
      long evening = plan(c, town, DAY, "evening", "2026-03-10T05:00:00Z", depots);
      stop(c, town, evening, 1, bins.get("A5"), "rcv-1", 1);
      // an earlier day, and another council's plan of the day
      long before = plan(c, town, DAY.minusDays(1), "daily", "2026-03-09T05:00:00Z", depots);
      stop(c, town, before, 1, bins.get("A4"), "rcv-1", 1);
      long theirs = plan(c, other, DAY, "daily", "2026-03-10T05:00:00Z", depots);
      stop(c, other, theirs, 1, bins.get("B1"), "rcv-1", 1);

      assertThat(points(c, town.id(), "2026-03-09T12:00:00Z", "2026-03-10T12:00:00Z"))
          .containsExactly(
              "1 daily rcv-1 0 depot - 52.2000 0.1200 2026-03-10T06:00:00Z",
              "1 daily rcv-1 1 planned A1 52.2010 0.1210 2026-03-10T07:01:00Z",
              "1 daily rcv-1 2 planned A2 52.2020 0.1220 2026-03-10T07:02:00Z",
              "1 daily rcv-1 3 depot - 52.2000 0.1200 2026-03-10T09:00:00Z",
              "2 daily rcv-2 0 depot - 52.2100 0.1300 2026-03-10T06:00:00Z",
              "2 daily rcv-2 1 planned A3 52.2030 0.1230 2026-03-10T07:01:00Z",
              "2 daily rcv-2 2 depot - 52.2100 0.1300 2026-03-10T08:00:00Z",
              "3 evening rcv-1 0 depot - 52.2000 0.1200 2026-03-10T06:00:00Z",
              "3 evening rcv-1 1 planned A5 52.2050 0.1250 2026-03-10T07:01:00Z",
              "3 evening rcv-1 2 depot - 52.2000 0.1200 2026-03-10T09:00:00Z");
      assertThat(points(c, town.id(), "2026-03-09T00:00:00Z", "2026-03-09T20:00:00Z"))
          .as("a range whose last day with plans is the day before")
          .containsExactly(
              "1 daily rcv-1 0 depot - 52.2000 0.1200 2026-03-10T06:00:00Z",
              "1 daily rcv-1 1 planned A4 52.2040 0.1240 2026-03-10T07:01:00Z",
              "1 daily rcv-1 2 depot - 52.2000 0.1200 2026-03-10T09:00:00Z");
      assertThat(points(c, other.id(), "2026-03-09T12:00:00Z", "2026-03-10T12:00:00Z"))
          .extracting(p -> p.split(" ")[5])
          .containsExactly("-", "B1", "-");
      assertThat(points(c, town.id(), "2026-03-11T12:00:00Z", "2026-03-12T12:00:00Z")).isEmpty();
    }
  }

  private static List<String> points(Connection c, int council, String from, String to)
      throws Exception {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT route_no, round, vehicle, seq, status, asset_ref, latitude, longitude, eta"
                + " FROM collection_route_points(?, ?, ?)")) {
      ps.setInt(1, council);
      ps.setTimestamp(2, Timestamp.from(Instant.parse(from)));
      ps.setTimestamp(3, Timestamp.from(Instant.parse(to)));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              String.format(
                  Locale.ROOT,
                  "%d %s %s %d %s %s %.4f %.4f %s",
                  rs.getInt(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getInt(4),
                  rs.getString(5),
                  rs.getString(6) == null ? "-" : rs.getString(6),
                  rs.getDouble(7),
                  rs.getDouble(8),
                  rs.getTimestamp(9).toInstant()));
        }
      }
    }
    return out;
  }

  private static long bin(Connection c, CouncilRef council, String ref, double lat, double lon)
      throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO asset (council_id, asset_ref, kind, latitude, longitude)"
                + " VALUES (?, ?, 'bin', ?, ?) RETURNING asset_pk")) {
      ps.setInt(1, council.id());
      ps.setString(2, ref);
      ps.setDouble(3, lat);
      ps.setDouble(4, lon);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long plan(
      Connection c, CouncilRef council, LocalDate date, String round, String at, String details)
      throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO collection_plan (council_id, plan_date, round, planned_at, planned_by,"
                + " details) VALUES (?, ?, ?, ?, 'test', ?::jsonb) RETURNING plan_id")) {
      ps.setInt(1, council.id());
      ps.setObject(2, date);
      ps.setString(3, round);
      ps.setTimestamp(4, Timestamp.from(Instant.parse(at)));
      ps.setString(5, details);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A stop with its ETA {@code order} minutes after 07:00; no vehicle: unassigned. */
  private static void stop(
      Connection c,
      CouncilRef council,
      long plan,
      int no,
      long asset,
      String vehicle,
      Integer order)
      throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO collection_stop (plan_id, stop_no, council_id, asset_pk, vehicle,"
                + " route_order, eta, litres, reasons, status)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, 100, ARRAY['predicted-fill'], ?)")) {
      ps.setLong(1, plan);
      ps.setInt(2, no);
      ps.setInt(3, council.id());
      ps.setLong(4, asset);
      ps.setString(5, vehicle);
      ps.setObject(6, order);
      ps.setTimestamp(
          7,
          order == null
              ? null
              : Timestamp.from(Instant.parse("2026-03-10T07:00:00Z").plusSeconds(60L * order)));
      ps.setString(8, vehicle == null ? "unassigned" : "planned");
      ps.executeUpdate();
    }
  }
}
