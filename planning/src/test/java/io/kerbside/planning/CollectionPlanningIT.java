package io.kerbside.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.db.Councils;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import io.kerbside.planning.store.PlanRepository;
import io.kerbside.planning.store.StopActionException;
import io.kerbside.planning.write.PlanFormats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Plans a seeded town on the real databases: bins registered and readings stored by SQL, a plan
 * made, stored and read back; the selection and its reasons, every selected bin on exactly one
 * route, capacities and time windows kept; a stop marked emptied resolves the bin's alerts.
 */
class CollectionPlanningIT {
  private static final ZoneId ZONE = ZoneId.of("Europe/London");

  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void plansASeededTownAndEmptyingAStopResolvesItsAlerts(TestServices.Db cluster) throws Exception {
    try (TestDatabase db = TestDatabase.create(cluster);
        HikariDataSource ds = db.migrated()) {
      Councils councils = new Councils(ds);
      CouncilRef town = councils.find("default").orElseThrow();
      CouncilRef other = councils.add("other-town", "Other Town");
      // a fixed instant: the plan for a Tuesday, made at 23:30 the evening before
      LocalDate today = LocalDate.of(2026, 3, 10);
      Instant now = today.atStartOfDay(ZONE).minusMinutes(30).toInstant();
      String weekday = today.getDayOfWeek().name().substring(0, 3).toLowerCase(Locale.ROOT);
      String otherDay =
          today.plusDays(1).getDayOfWeek().name().substring(0, 3).toLowerCase(Locale.ROOT);

      Map<String, Long> bins = new HashMap<>();
      try (Connection c = db.connect();
          Statement st = c.createStatement()) {
        st.execute("SELECT ensure_reading_partitions(DATE '2026-03-06', DATE '2026-03-11')");
        // 24 bins filling fast (85 % now), 10 filling slowly
        for (int i = 0; i < 34; i++) {
          boolean fast = i < 24;
          String ref = (fast ? "FAST/" : "SLOW/") + i;
          long pk = bin(c, town.id(), ref, 52.20 + 0.002 * (i % 6), 0.11 + 0.003 * (i / 6), null);
          bins.put(ref, pk);
          readings(c, town.id(), pk, now, fast ? 85 : 20, fast ? 2.0 : 0.3);
        }
        // low, but an open bin-full alert
        long alerted = bin(c, town.id(), "ALERT/1", 52.21, 0.13, null);
        bins.put("ALERT/1", alerted);
        readings(c, town.id(), alerted, now, 15, 0.1);
        alert(c, town.id(), alerted, "bin-full");
        alert(c, town.id(), alerted, "bin-not-collected");
        alert(c, town.id(), alerted, "battery-low");
        // silent sensors: the schedule decides
        long silentToday = bin(c, town.id(), "SILENT/TODAY", 52.205, 0.125, weekday);
        readings(c, town.id(), silentToday, now.minus(Duration.ofHours(20)), 30, 1);
        long silentOther = bin(c, town.id(), "SILENT/OTHER", 52.206, 0.126, otherDay);
        readings(c, town.id(), silentOther, now.minus(Duration.ofHours(20)), 30, 1);
        bin(c, town.id(), "NEVER/TODAY", 52.207, 0.127, weekday);
        // another council's full bin is never on this council's plan
        long theirs = bin(c, other.id(), "THEIRS/1", 52.2, 0.12, null);
        readings(c, other.id(), theirs, now, 95, 2);
      }

      String yaml =
          "zone: Europe/London\n"
              + "solver: {iterations: 30, max_solve_s: 5}\n"
              + "vehicles:\n"
              + "  - {name: van-a, capacity_l: 2500, shift_start: \"00:00\", shift_end: \"23:59\","
              + " depot: {lat: 52.2053, lon: 0.1218}}\n"
              + "  - {name: van-b, capacity_l: 2500, shift_start: \"00:00\", shift_end: \"23:59\","
              + " depot: {lat: 52.2053, lon: 0.1218}}\n"
              + "rounds:\n"
              + "  - {name: daily, start: \"00:00\", end: \"23:59\", vehicles: [van-a, van-b]}\n";
      PlanningConfig config = PlanningConfig.parse(yaml, "it.yaml");
      PlanRepository repo = new PlanRepository(ds);
      CollectionPlanner planner =
          new CollectionPlanner(
              config, repo, new PlanningMetrics(null), Clock.fixed(now, ZoneOffset.UTC));

      List<CollectionPlan> plans = planner.plan(town, today, Optional.empty(), "cli:tester");
      assertThat(plans).hasSize(1);
      CollectionPlan plan = repo.find(town, plans.get(0).id()).orElseThrow();
      assertThat(plan.binsConsidered()).isEqualTo(38);
      assertThat(plan.plannedBy()).isEqualTo("cli:tester");

      Map<String, PlanStop> byRef = new HashMap<>();
      plan.stops().forEach(s -> byRef.put(s.assetRef(), s));
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < 24; i++) {
        expected.add("FAST/" + i);
      }
      expected.addAll(Set.of("ALERT/1", "SILENT/TODAY", "NEVER/TODAY"));
      assertThat(byRef.keySet()).isEqualTo(expected);
      assertThat(byRef.get("FAST/0").reasons()).containsExactly(Reason.PREDICTED_FILL);
      assertThat(byRef.get("ALERT/1").reasons()).containsExactly(Reason.ALERT);
      assertThat(byRef.get("SILENT/TODAY").reasons()).containsExactly(Reason.SCHEDULE);
      assertThat(byRef.get("SILENT/TODAY").litres()).isEqualTo(240.0);

      // every stop on exactly one route, within capacity, in the round's window, in order
      assertThat(plan.unassigned()).isEmpty();
      ZonedDateTime start = today.atStartOfDay(ZONE);
      ZonedDateTime end = today.atTime(23, 59).atZone(ZONE);
      Set<Long> seen = new HashSet<>();
      for (VehicleRoute r : plan.routes()) {
        List<PlanStop> stops = plan.stopsOf(r.vehicle());
        assertThat(stops).hasSize(r.stops());
        assertThat(stops.stream().mapToDouble(PlanStop::litres).sum())
            .isLessThanOrEqualTo(r.capacityL());
        Instant previous = r.start();
        for (int i = 0; i < stops.size(); i++) {
          PlanStop s = stops.get(i);
          assertThat(s.routeOrder()).isEqualTo(i + 1);
          assertThat(s.status()).isEqualTo("planned");
          assertThat(seen.add(s.assetPk())).isTrue();
          assertThat(s.eta()).isBetween(start.toInstant(), end.toInstant());
          assertThat(s.eta()).isAfterOrEqualTo(previous);
          previous = s.eta();
        }
        assertThat(r.end()).isBeforeOrEqualTo(end.toInstant());
      }
      assertThat(seen).hasSize(expected.size());
      assertThat(plan.routes().stream().filter(r -> r.stops() > 0)).hasSize(2);
      assertThat(PlanFormats.geoJson(plan)).contains("LineString", "ALERT/1");
      assertThat(PlanFormats.gpx(plan)).contains("<rte>", "van-a");
      assertThat(PlanFormats.csv(plan).lines()).hasSize(expected.size() + 1);

      // stored plans are per council
      assertThat(repo.latest(town, today, Optional.empty())).hasSize(1);
      assertThat(repo.latest(other, today, Optional.empty())).isEmpty();
      assertThat(repo.find(other, plan.id())).isEmpty();

      // the crew empties the alerted bin: its bin-full and bin-not-collected alerts resolve
      PlanStop alertStop = byRef.get("ALERT/1");
      assertThatThrownBy(() -> repo.markEmptied(other, plan.id(), alertStop.stopNo(), "key:9:x"))
          .isInstanceOf(StopActionException.class)
          .extracting(e -> ((StopActionException) e).reason())
          .isEqualTo(StopActionException.Reason.NOT_FOUND);
      PlanRepository.Emptied e =
          repo.markEmptied(town, plan.id(), alertStop.stopNo(), "key:3:north crew");
      assertThat(e.resolvedAlerts()).hasSize(2);
      assertThat(e.stop().status()).isEqualTo("emptied");
      assertThat(e.stop().emptiedBy()).isEqualTo("key:3:north crew");
      assertThat(e.stop().emptiedAt()).isNotNull();
      assertThat(
              db.count(
                  "SELECT count(*) FROM alert WHERE status = 'resolved'"
                      + " AND resolved_by = 'key:3:north crew' AND resolved_at IS NOT NULL"
                      + " AND rule IN ('bin-full', 'bin-not-collected')"))
          .isEqualTo(2);
      assertThat(db.count("SELECT count(*) FROM alert WHERE status = 'open'"))
          .as("the battery alert stays open")
          .isEqualTo(1);
      assertThat(
              db.count(
                  "SELECT count(*) FROM alert_event WHERE type = 'resolved'"
                      + " AND actor = 'key:3:north crew'"))
          .isEqualTo(2);
      assertThatThrownBy(() -> repo.markEmptied(town, plan.id(), alertStop.stopNo(), "cli:sam"))
          .extracting(x -> ((StopActionException) x).reason())
          .isEqualTo(StopActionException.Reason.CONFLICT);
      assertThatThrownBy(() -> repo.markEmptied(town, plan.id(), 1, "kerbside"))
          .isInstanceOf(IllegalArgumentException.class);
      // a bin without alerts is emptied too
      PlanStop fast = byRef.get("FAST/3");
      assertThat(repo.markEmptied(town, plan.id(), fast.stopNo(), "cli:sam").resolvedAlerts())
          .isEmpty();
      assertThat(
              repo.find(town, plan.id()).orElseThrow().stops().stream()
                  .filter(s -> s.status().equals("emptied")))
          .hasSize(2);
    }
  }

  private static long bin(
      Connection c, int council, String ref, double lat, double lon, String days) throws Exception {
    long pk;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO asset (council_id, asset_ref, kind, latitude, longitude, ward,"
                + " bin_capacity_l, collection_days, collection_time)"
                + " VALUES (?, ?, 'bin', ?, ?, 'Market', ?, ?, ?) RETURNING asset_pk")) {
      ps.setInt(1, council);
      ps.setString(2, ref);
      ps.setDouble(3, lat);
      ps.setDouble(4, lon);
      if (ref.startsWith("SILENT") || ref.startsWith("NEVER")) {
        ps.setNull(5, java.sql.Types.INTEGER);
      } else {
        ps.setInt(5, 120);
      }
      ps.setString(6, days);
      ps.setTime(7, days == null ? null : java.sql.Time.valueOf("07:00:00"));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        pk = rs.getLong(1);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO device (council_id, device_id, kind, asset_pk, attached_at)"
                + " VALUES (?, ?, 'bin', ?, now())")) {
      ps.setInt(1, council);
      ps.setString(2, "dev-" + ref.toLowerCase(Locale.ROOT).replace('/', '-'));
      ps.setLong(3, pk);
      ps.executeUpdate();
    }
    return pk;
  }

  /** Twelve hours of readings every 30 minutes up to {@code end}, reaching {@code endPct}. */
  private static void readings(
      Connection c, int council, long assetPk, Instant end, double endPct, double perHour)
      throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO reading (council_id, device_pk, ts, received_at, fill_pct)"
                + " SELECT ?, device_pk, ?, now(), ? FROM device WHERE asset_pk = ?")) {
      for (int k = 24; k >= 0; k--) {
        ps.setInt(1, council);
        ps.setTimestamp(2, Timestamp.from(end.minus(Duration.ofMinutes(30L * k))));
        ps.setDouble(3, Math.max(0, endPct - perHour * k / 2.0));
        ps.setLong(4, assetPk);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void alert(Connection c, int council, long assetPk, String rule) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO alert (council_id, subject, rule, kind, severity, status, asset_pk,"
                + " summary, observed_at, last_observed_at)"
                + " VALUES (?, ?, ?, 'bin', 'major', 'open', ?, 'bin full', now(), now())")) {
      ps.setInt(1, council);
      ps.setString(2, "asset/" + assetPk);
      ps.setString(3, rule);
      ps.setLong(4, assetPk);
      ps.executeUpdate();
    }
  }
}
