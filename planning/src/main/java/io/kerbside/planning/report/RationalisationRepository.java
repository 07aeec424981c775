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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The report's SQL: a council's active bins, their fill readings in a period (from the devices
 * attached to them) and the stops of stored plans marked emptied in it. Only the council's own rows
 * are read. The readings are streamed bin by bin, so a month of a big town's readings is never held
 * at once. Thread-safe; each call takes its own connection.
 */
final class RationalisationRepository {
  private static final int FETCH_SIZE = 20_000;

  private final DataSource dataSource;

  RationalisationRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * The council's bins, by asset reference, without their readings, and the figures of those with
   * readings in the period.
   */
  record Measured(List<BinHistory> bins, Map<Long, BinFigures> figures) {}

  /**
   * The council's active bins over {@code [from, to)}, each bin's readings (oldest first) handed to
   * {@code figures} as soon as they are read and then dropped.
   */
  Measured measure(
      CouncilRef council, Instant from, Instant to, Function<BinHistory, BinFigures> figures)
      throws SQLException {
    try (Connection c = dataSource.getConnection()) {
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
      Map<Long, BinHistory> bins = new LinkedHashMap<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT asset_pk, asset_ref, name, street, ward FROM asset"
                  + " WHERE council_id = ? AND kind = 'bin' AND status = 'active'"
                  + " ORDER BY asset_ref")) {
        ps.setInt(1, council.id());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long pk = rs.getLong(1);
            bins.put(
                pk,
                new BinHistory(
                    pk,
                    rs.getString(2),
                    rs.getString(3),
                    rs.getString(4),
                    rs.getString(5),
                    List.of(),
                    crewLifts.getOrDefault(pk, 0)));
          }
        }
      }
      Map<Long, BinFigures> measured = new HashMap<>();
      // a cursor: the driver fetches FETCH_SIZE rows at a time only inside a transaction
      c.setAutoCommit(false);
      c.setReadOnly(true);
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
        ps.setFetchSize(FETCH_SIZE);
        try (ResultSet rs = ps.executeQuery()) {
          long current = -1;
          List<FillPrediction.Point> fill = new ArrayList<>();
          while (rs.next()) {
            long pk = rs.getLong(1);
            if (pk != current) {
              measure(bins.get(current), fill, figures, measured);
              current = pk;
              fill = new ArrayList<>();
            }
            fill.add(new FillPrediction.Point(rs.getTimestamp(2).toInstant(), rs.getDouble(3)));
          }
          measure(bins.get(current), fill, figures, measured);
        }
      } finally {
        c.rollback();
        c.setReadOnly(false);
        c.setAutoCommit(true);
      }
      return new Measured(List.copyOf(bins.values()), measured);
    }
  }

  /** Figures of a bin's readings; nothing for a bin that is not an active one of the council. */
  private static void measure(
      BinHistory bin,
      List<FillPrediction.Point> fill,
      Function<BinHistory, BinFigures> figures,
      Map<Long, BinFigures> into) {
    if (bin == null || fill.isEmpty()) {
      return;
    }
    BinHistory withReadings =
        new BinHistory(
            bin.assetPk(),
            bin.assetRef(),
            bin.name(),
            bin.street(),
            bin.ward(),
            fill,
            bin.crewLifts());
    into.put(bin.assetPk(), figures.apply(withReadings));
  }
}
