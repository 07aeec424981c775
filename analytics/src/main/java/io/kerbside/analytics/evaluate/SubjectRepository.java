package io.kerbside.analytics.evaluate;

import io.kerbside.analytics.rules.Subject;
import io.kerbside.core.CouncilRef;
import io.kerbside.core.DeviceKind;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** Devices with their council, asset and evaluation progress, as rules need them. */
final class SubjectRepository {
  private final java.time.ZoneId zone;

  /**
   * @param zone the local time of collection rounds
   */
  SubjectRepository(java.time.ZoneId zone) {
    this.zone = zone;
  }

  private static final String SELECT =
      "SELECT d.device_pk, d.device_id, d.kind, d.expected_interval_s, c.council_id, c.slug,"
          + " a.asset_pk, a.asset_ref, a.name, a.latitude, a.longitude, a.street, a.ward,"
          + " a.bin_depth_mm, a.rated_power_w, d.last_seen_at, p.evaluated_until,"
          + " p.heard_at, a.collection_days, a.collection_time"
          + " FROM device d JOIN council c ON c.council_id = d.council_id"
          + " LEFT JOIN asset a ON a.asset_pk = d.asset_pk"
          + " LEFT JOIN analytics_progress p ON p.device_pk = d.device_pk";

  /** The subjects of {@code devicePks}, by device key. */
  Map<Long, SubjectRow> load(Connection c, Collection<Long> devicePks) throws SQLException {
    Map<Long, SubjectRow> out = new LinkedHashMap<>();
    Array pks = c.createArrayOf("bigint", devicePks.toArray());
    try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE d.device_pk = ANY(?)")) {
      ps.setArray(1, pks);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          SubjectRow row = row(rs);
          out.put(row.subject().devicePk(), row);
        }
      }
    }
    return out;
  }

  /** Every device of every council, streamed (the caller's connection must not auto-commit). */
  void forEach(Connection c, Consumer<SubjectRow> each) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY d.device_pk")) {
      ps.setFetchSize(5000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          each.accept(row(rs));
        }
      }
    }
  }

  private SubjectRow row(ResultSet rs) throws SQLException {
    long assetPk = rs.getLong(7);
    Optional<Subject.AssetInfo> asset =
        rs.wasNull()
            ? Optional.empty()
            : Optional.of(
                new Subject.AssetInfo(
                    assetPk,
                    rs.getString(8),
                    rs.getString(9),
                    rs.getDouble(10),
                    rs.getDouble(11),
                    rs.getString(12),
                    rs.getString(13),
                    (Integer) rs.getObject(14),
                    (Double) rs.getObject(15),
                    collection(rs.getString(19), rs.getTime(20))));
    Subject subject =
        new Subject(
            new CouncilRef(rs.getInt(5), rs.getString(6)),
            rs.getLong(1),
            rs.getString(2),
            DeviceKind.fromCode(rs.getString(3)).orElseThrow(),
            Duration.ofSeconds(rs.getInt(4)),
            asset);
    return new SubjectRow(
        subject,
        instant(rs.getTimestamp(16)),
        instant(rs.getTimestamp(17)),
        instant(rs.getTimestamp(18)));
  }

  private Optional<Subject.CollectionRound> collection(String days, java.sql.Time time) {
    if (days == null || days.isBlank() || time == null) {
      return Optional.empty();
    }
    java.util.Set<java.time.DayOfWeek> set = java.util.EnumSet.noneOf(java.time.DayOfWeek.class);
    for (String token : days.toLowerCase(java.util.Locale.ROOT).split("[\\s,;]+")) {
      for (java.time.DayOfWeek d : java.time.DayOfWeek.values()) {
        if (token.length() >= 3 && d.name().toLowerCase(java.util.Locale.ROOT).startsWith(token)) {
          set.add(d);
        }
      }
    }
    return set.isEmpty()
        ? Optional.empty()
        : Optional.of(new Subject.CollectionRound(set, time.toLocalTime(), zone));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
