package io.kerbside.planning.report;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.bins.FillPrediction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The report's SQL: a council's active bins, their fill readings in a period (from the devices
 * attached to them) and the stops of stored plans marked emptied in it. Only the council's own rows
 * are read. Thread-safe; each call takes its own connection.
 */
final class RationalisationRepository {
  private final DataSource dataSource;

  RationalisationRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The council's active bins with their histories over {@code [from, to)}, by asset reference. */
  List<BinHistory> bins(CouncilRef council, Instant from, Instant to) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      Map<Long, List<FillPrediction.Point>> fill = new HashMap<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT d.asset_pk, r.ts, r.fill_pct FROM reading r"
                  + " JOIN device d ON d.device_pk = r.device_pk"
                  + " WHERE r.council_id = ? AND d.council_id = ? AND d.asset_pk IS NOT NULL"
                  + " AND r.ts >= ? AND r.ts < ? AND r.fill_pct IS NOT NULL"
                  + " ORDER BY d.asset_pk, r.ts")) {
        ps.setInt(1, council.id());
        ps.setInt(2, council.id());
        ps.setTimestamp(3, Timestamp.from(from));
        ps.setTimestamp(4, Timestamp.from(to));
        ps.setFetchSize(10_000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            fill.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                .add(new FillPrediction.Point(rs.getTimestamp(2).toInstant(), rs.getDouble(3)));
          }
        }
      }
      Map<Long, Integer> crewLifts = new HashMap<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT asset_pk, count(*) FROM collection_stop"
                  + " WHERE council_id = ? AND status = 'emptied'"
                  + " AND emptied_at >= ? AND emptied_at < ? GROUP BY asset_pk")) {
        ps.setInt(1, council.id());
        ps.setTimestamp(2, Timestamp.from(from));
        ps.setTimestamp(3, Timestamp.from(to));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            crewLifts.put(rs.getLong(1), rs.getInt(2));
          }
        }
      }
      List<BinHistory> out = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT asset_pk, asset_ref, name, street, ward FROM asset"
                  + " WHERE council_id = ? AND kind = 'bin' AND status = 'active'"
                  + " ORDER BY asset_ref")) {
        ps.setInt(1, council.id());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long pk = rs.getLong(1);
            out.add(
                new BinHistory(
                    pk,
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    fill.getOrDefault(pk, List.of()),
                    crewLifts.getOrDefault(pk, 0)));
          }
        }
      }
      return out;
    }
  }
}
