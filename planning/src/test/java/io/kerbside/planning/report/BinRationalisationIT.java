package io.kerbside.planning.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.zaxxer.hikari.HikariDataSource;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.db.Councils;
import io.kerbside.core.testing.TestBins;
import io.kerbside.core.testing.TestDatabase;
import io.kerbside.core.testing.TestServices;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The rationalisation report on the real databases: four weeks of hourly readings for a few bins
 * stored by SQL, the report read for one council (never another's bins), its CSV and table, and the
 * SQL function the Bins dashboard draws giving the same figures, recommendations and reasons.
 */
class BinRationalisationIT {

  @ParameterizedTest
  @EnumSource(TestServices.Db.class)
  void reportsEachBinOfTheCouncilAndTheDashboardFunctionAgrees(TestServices.Db cluster)
      throws Exception {
    try (TestDatabase db = TestDatabase.create(cluster);
        HikariDataSource ds = db.migrated()) {
      Councils councils = new Councils(ds);
      CouncilRef town = councils.find("default").orElseThrow();
      CouncilRef other = councils.add("other-town", "Other Town");
      Instant now = Instant.parse("2026-03-10T09:00:00Z");
      Instant from = now.minus(Duration.ofDays(28));
      try (Connection c = db.connect();
          Statement st = c.createStatement()) {
        st.execute("SELECT ensure_reading_partitions(DATE '2026-01-25', DATE '2026-03-11')");
        TestBins.readings(
            c, town, TestBins.bin(c, town, "UNDER/1", "Mill Road"), from, now, 0.25, 168);
        long over = TestBins.bin(c, town, "OVER/1", "High Street");
        TestBins.readings(c, town, over, from, now, 2.5, 72);
        TestBins.readings(
            c, town, TestBins.bin(c, town, "STN/1", "Station Road"), from, now, 2.5, 72);
        TestBins.readings(
            c, town, TestBins.bin(c, town, "STN/2", "Station Road"), from, now, 0.25, 168);
        TestBins.readings(
            c, town, TestBins.bin(c, town, "STN/3", "Station Road"), from, now, 1.2, 72);
        TestBins.bin(c, town, "SILENT/1", "Mill Road");
        TestBins.readings(
            c,
            town,
            TestBins.bin(c, town, "NEW/1", null),
            now.minus(Duration.ofHours(5)),
            now,
            1,
            999);
        // readings before the period do not count
        TestBins.readings(
            c,
            town,
            TestBins.bin(c, town, "OLD/1", "Mill Road"),
            from.minus(Duration.ofDays(5)),
            from,
            3,
            24);
        TestBins.readings(
            c, other, TestBins.bin(c, other, "THEIRS/1", "Mill Road"), from, now, 2.5, 72);
        crewLift(c, town, over, now.minus(Duration.ofDays(2)));
        crewLift(c, other, over(c, other), now.minus(Duration.ofDays(2)));
      }

      BinRationalisation rationalisation =
          new BinRationalisation(
              RationalisationConfig.defaults(), ds, Clock.fixed(now, ZoneOffset.UTC));
      RationalisationReport report = rationalisation.report(town, 4);
      assertThat(report.from()).isEqualTo(from);
      assertThat(report.to()).isEqualTo(now);
      Map<String, RationalisedBin> byRef = new HashMap<>();
      report.bins().forEach(b -> byRef.put(b.assetRef(), b));
      assertThat(byRef.keySet())
          .containsExactlyInAnyOrder(
              "UNDER/1", "OVER/1", "STN/1", "STN/2", "STN/3", "SILENT/1", "NEW/1", "OLD/1");
      assertThat(report.bins().get(0).assetRef()).isEqualTo("OVER/1");
      assertThat(byRef.get("OVER/1").recommendation()).isEqualTo(Recommendation.UPSIZE_OR_ADD_LIFT);
      assertThat(byRef.get("OVER/1").figures().lifts()).isEqualTo(9);
      assertThat(byRef.get("OVER/1").figures().crewLifts()).isEqualTo(1);
      assertThat(byRef.get("OVER/1").figures().hoursOverflowing()).isCloseTo(288, within(1e-6));
      assertThat(byRef.get("UNDER/1").recommendation()).isEqualTo(Recommendation.REMOVE_OR_MOVE);
      assertThat(byRef.get("STN/1").recommendation()).isEqualTo(Recommendation.REBALANCE_STREET);
      assertThat(byRef.get("STN/2").recommendation()).isEqualTo(Recommendation.REBALANCE_STREET);
      assertThat(byRef.get("STN/3").recommendation()).isEqualTo(Recommendation.KEEP);
      assertThat(byRef.get("SILENT/1").reason()).contains("the sensor is silent");
      assertThat(byRef.get("NEW/1").reason()).contains("too little to judge");
      assertThat(byRef.get("OLD/1").figures().readings()).isZero();

      String csv = RationalisationFormats.csv(report);
      assertThat(csv.lines()).hasSize(9);
      assertThat(csv.lines().filter(l -> l.startsWith("OVER/1,")).findFirst().orElseThrow())
          .contains(",9,1,100.00,100.00,288.00,", ",upsize-or-add-lift,");
      assertThat(RationalisationFormats.table(report))
          .contains("upsize-or-add-lift 1, rebalance-street 2, remove-or-move 1, keep 4")
          .contains("STN/2 on Station Road stays underused");

      // another council sees its own bin only
      RationalisationReport theirs = rationalisation.report(other, 4);
      assertThat(theirs.bins()).extracting(RationalisedBin::assetRef).containsExactly("THEIRS/1");
      assertThat(theirs.bins().get(0).figures().crewLifts()).isEqualTo(1);
      assertThatThrownBy(() -> rationalisation.report(town, 0))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("weeks must be between 1 and 52");

      // the dashboard's SQL function gives the same, row for row and in the same order
      List<RationalisedBin> fromSql = sqlFunction(db, town, from, now);
      assertThat(fromSql)
          .extracting(RationalisedBin::assetRef)
          .containsExactlyElementsOf(
              report.bins().stream().map(RationalisedBin::assetRef).toList());
      for (int i = 0; i < fromSql.size(); i++) {
        RationalisedBin sql = fromSql.get(i);
        RationalisedBin java = report.bins().get(i);
        String ref = java.assetRef();
        assertThat(sql.recommendation()).as(ref).isEqualTo(java.recommendation());
        assertThat(sql.reason()).as(ref).isEqualTo(java.reason());
        BinFigures s = sql.figures();
        BinFigures j = java.figures();
        assertThat(s.readings()).as(ref).isEqualTo(j.readings());
        assertThat(s.lifts()).as(ref).isEqualTo(j.lifts());
        assertThat(s.crewLifts()).as(ref).isEqualTo(j.crewLifts());
        same(ref + " observed", s.observedHours(), j.observedHours());
        same(ref + " at emptying", s.meanFillAtEmptyingPct(), j.meanFillAtEmptyingPct());
        same(ref + " max", s.maxFillPct(), j.maxFillPct());
        same(ref + " overflowing", s.hoursOverflowing(), j.hoursOverflowing());
        same(ref + " rate", s.fillRatePctPerDay(), j.fillRatePctPerDay());
        for (DayOfWeek d : DayOfWeek.values()) {
          same(ref + " " + d, s.fillRateOn(d), j.fillRateOn(d));
        }
      }
      assertThat(sqlFunction(db, other, from, now))
          .extracting(RationalisedBin::assetRef)
          .containsExactly("THEIRS/1");
    }
  }

  /**
   * Equal within a thousandth: readings may be stored as {@code real}, which the driver hands to
   * Java by its shortest text (85.2) and SQL widens to double exactly (85.19999694824219).
   */
  private static void same(String what, double sql, double java) {
    if (Double.isNaN(java)) {
      assertThat(sql).as(what).isNaN();
    } else {
      assertThat(sql).as(what).isCloseTo(java, within(1e-3));
    }
  }

  /** {@code bin_rationalisation} with its default settings, as the report's figures. */
  private static List<RationalisedBin> sqlFunction(
      TestDatabase db, CouncilRef council, Instant from, Instant to) throws Exception {
    List<RationalisedBin> out = new ArrayList<>();
    try (Connection c = db.connect();
        PreparedStatement ps =
            c.prepareStatement("SELECT * FROM kerbside.bin_rationalisation(?, ?, ?)")) {
      ps.setInt(1, council.id());
      ps.setTimestamp(2, Timestamp.from(from));
      ps.setTimestamp(3, Timestamp.from(to));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Map<DayOfWeek, Double> byDay = new HashMap<>();
          for (DayOfWeek d : DayOfWeek.values()) {
            double v = number(rs, "fill_rate_" + d.name().substring(0, 3).toLowerCase(Locale.ROOT));
            if (!Double.isNaN(v)) {
              byDay.put(d, v);
            }
          }
          BinFigures f =
              new BinFigures(
                  rs.getInt("readings"),
                  rs.getDouble("observed_h"),
                  rs.getInt("lifts"),
                  rs.getInt("crew_lifts"),
                  number(rs, "mean_fill_at_emptying_pct"),
                  number(rs, "max_fill_pct"),
                  number(rs, "hours_overflowing"),
                  number(rs, "fill_rate_pct_per_day"),
                  byDay);
          out.add(
              new RationalisedBin(
                  rs.getLong("asset_pk"),
                  rs.getString("asset_ref"),
                  rs.getString("name"),
                  rs.getString("street"),
                  rs.getString("ward"),
                  f,
                  Recommendation.fromCode(rs.getString("recommendation")).orElseThrow(),
                  rs.getString("reason")));
        }
      }
    }
    return out;
  }

  private static double number(ResultSet rs, String column) throws Exception {
    double v = rs.getDouble(column);
    return rs.wasNull() ? Double.NaN : v;
  }

  private static long over(Connection c, CouncilRef council) throws Exception {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT asset_pk FROM asset WHERE council_id = ? AND kind = 'bin'")) {
      ps.setInt(1, council.id());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A stored plan with the bin on it, marked emptied by a crew at {@code at}. */
  private static void crewLift(Connection c, CouncilRef council, long assetPk, Instant at)
      throws Exception {
    long plan;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO collection_plan (council_id, plan_date, round, planned_by)"
                + " VALUES (?, ?, 'daily', 'cli:test') RETURNING plan_id")) {
      ps.setInt(1, council.id());
      ps.setObject(2, at.atZone(ZoneOffset.UTC).toLocalDate());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        plan = rs.getLong(1);
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO collection_stop (plan_id, stop_no, council_id, asset_pk, vehicle,"
                + " route_order, litres, reasons, status, emptied_at, emptied_by)"
                + " VALUES (?, 1, ?, ?, 'van-a', 1, 240, ARRAY['predicted-fill'], 'emptied', ?,"
                + " 'crew:north')")) {
      ps.setLong(1, plan);
      ps.setInt(2, council.id());
      ps.setLong(3, assetPk);
      ps.setTimestamp(4, Timestamp.from(at));
      ps.executeUpdate();
    }
  }
}
