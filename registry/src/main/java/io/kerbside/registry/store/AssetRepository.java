package io.kerbside.registry.store;

import io.kerbside.core.CouncilRef;
import io.kerbside.core.DeviceKind;
import io.kerbside.registry.Asset;
import io.kerbside.registry.AssetAttributes;
import io.kerbside.registry.AssetRecord;
import io.kerbside.registry.AssetStatus;
import io.kerbside.registry.ImportReport;
import io.kerbside.registry.ImportReport.Rejection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** Assets of a council and the attachment of devices to them. */
public final class AssetRepository {
  static final String ASSET_COLUMNS =
      "a.asset_pk, a.asset_ref, a.kind, a.name, a.latitude, a.longitude, a.street, a.street_type,"
          + " a.ward, a.status, a.installed_on, a.bin_depth_mm, a.bin_capacity_l,"
          + " a.collection_days, a.collection_time, a.lamp_type, a.rated_power_w,"
          + " a.dimming_profile, a.mounting_height_m, a.surface, a.pavement_use,"
          + " a.section_length_m, a.shade";
  private static final int ASSET_COLUMN_COUNT = 23;

  private static final String UPSERT =
      "INSERT INTO asset (council_id, asset_ref, kind, name, latitude, longitude, street,"
          + " street_type, ward, status, installed_on, bin_depth_mm, bin_capacity_l,"
          + " collection_days, collection_time, lamp_type, rated_power_w, dimming_profile,"
          + " mounting_height_m, surface, pavement_use, section_length_m, shade)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (council_id, asset_ref) DO UPDATE SET kind = excluded.kind,"
          + " name = excluded.name, latitude = excluded.latitude, longitude = excluded.longitude,"
          + " street = excluded.street, street_type = excluded.street_type,"
          + " ward = excluded.ward, status = excluded.status,"
          + " installed_on = excluded.installed_on, bin_depth_mm = excluded.bin_depth_mm,"
          + " bin_capacity_l = excluded.bin_capacity_l,"
          + " collection_days = excluded.collection_days,"
          + " collection_time = excluded.collection_time, lamp_type = excluded.lamp_type,"
          + " rated_power_w = excluded.rated_power_w,"
          + " dimming_profile = excluded.dimming_profile,"
          + " mounting_height_m = excluded.mounting_height_m, surface = excluded.surface,"
          + " pavement_use = excluded.pavement_use,"
          + " section_length_m = excluded.section_length_m, shade = excluded.shade,"
          + " imported_at = now()"
          + " WHERE asset.kind = excluded.kind"
          + " RETURNING asset_pk, (xmax = 0)";

  private final DataSource dataSource;

  public AssetRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Upserts the records' assets by reference and attaches their devices, in one transaction. A
   * device that is new is registered with the asset's kind; a device attached elsewhere is moved
   * (its old attachment closed, a new one opened); a device of another kind than its asset is
   * rejected with its record, and so is a record that would change a stored asset's kind. Devices
   * attached to an asset but absent from the list stay attached.
   *
   * @param positions where each record is in its file, for the report
   * @param earlier rejections from parsing, carried into the report
   */
  public ImportReport importRecords(
      CouncilRef council,
      List<AssetRecord> records,
      List<String> positions,
      List<Rejection> earlier)
      throws SQLException {
    List<Rejection> rejected = new ArrayList<>(earlier);
    Set<String> inserted = new HashSet<>();
    Set<String> updated = new HashSet<>();
    int attached = 0;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        for (int n = 0; n < records.size(); n++) {
          AssetRecord r = records.get(n);
          Savepoint sp = c.setSavepoint();
          long assetPk = 0;
          boolean isNew = false;
          String problem = null;
          try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            bindAsset(ps, council.id(), r.asset());
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                assetPk = rs.getLong(1);
                isNew = rs.getBoolean(2);
              } else {
                problem =
                    "asset_ref is already an asset of another kind; an import cannot change it";
              }
            }
          }
          boolean moved = false;
          if (problem == null && r.deviceId() != null) {
            try {
              moved = attach(c, council.id(), assetPk, r);
            } catch (KindMismatch e) {
              problem = e.getMessage();
            }
          }
          if (problem != null) {
            c.rollback(sp);
            rejected.add(new Rejection(positions.get(n), r.asset().ref(), problem));
            continue;
          }
          c.releaseSavepoint(sp);
          if (moved) {
            attached++;
          }
          if (isNew && !updated.contains(r.asset().ref())) {
            inserted.add(r.asset().ref());
          } else if (!inserted.contains(r.asset().ref())) {
            updated.add(r.asset().ref());
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
    return new ImportReport(inserted.size(), updated.size(), attached, rejected);
  }

  private static final class KindMismatch extends Exception {
    KindMismatch(String message) {
      super(message, null, false, false);
    }
  }

  /** Returns true when the device was attached to this asset by this call. */
  private static boolean attach(Connection c, int councilId, long assetPk, AssetRecord r)
      throws SQLException, KindMismatch {
    Long devicePk = null;
    Long currentAsset = null;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT device_pk, kind, asset_pk FROM device"
                + " WHERE council_id = ? AND device_id = ? FOR UPDATE")) {
      ps.setInt(1, councilId);
      ps.setString(2, r.deviceId());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          devicePk = rs.getLong(1);
          String kind = rs.getString(2);
          if (!kind.equals(r.asset().kind().code())) {
            throw new KindMismatch(
                "device "
                    + r.deviceId()
                    + " is a "
                    + kind
                    + ", the asset a "
                    + r.asset().kind().code());
          }
          currentAsset = rs.getObject(3, Long.class);
        }
      }
    }
    if (devicePk == null) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO device (council_id, device_id, kind, asset_ref, expected_interval_s,"
                  + " registration, asset_pk, attached_at)"
                  + " VALUES (?, ?, ?, ?, coalesce(?, 900), 'registered', ?, now())"
                  + " RETURNING device_pk")) {
        ps.setInt(1, councilId);
        ps.setString(2, r.deviceId());
        ps.setString(3, r.asset().kind().code());
        ps.setString(4, r.asset().ref());
        setInt(ps, 5, r.expectedIntervalS());
        ps.setLong(6, assetPk);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          devicePk = rs.getLong(1);
        }
      }
      openAttachment(c, councilId, devicePk, assetPk);
      return true;
    }
    boolean moving = currentAsset == null || currentAsset != assetPk;
    if (moving) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE device_attachment SET detached_at = now()"
                  + " WHERE device_pk = ? AND detached_at IS NULL")) {
        ps.setLong(1, devicePk);
        ps.executeUpdate();
      }
      openAttachment(c, councilId, devicePk, assetPk);
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE device SET asset_ref = ?, asset_pk = ?, registration = 'registered',"
                + " expected_interval_s = coalesce(?, expected_interval_s),"
                + " attached_at = CASE WHEN ? THEN now() ELSE attached_at END"
                + " WHERE device_pk = ?")) {
      ps.setString(1, r.asset().ref());
      ps.setLong(2, assetPk);
      setInt(ps, 3, r.expectedIntervalS());
      ps.setBoolean(4, moving);
      ps.setLong(5, devicePk);
      ps.executeUpdate();
    }
    return moving;
  }

  private static void openAttachment(Connection c, int councilId, long devicePk, long assetPk)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO device_attachment (council_id, device_pk, asset_pk, attached_at)"
                + " VALUES (?, ?, ?, now())")) {
      ps.setInt(1, councilId);
      ps.setLong(2, devicePk);
      ps.setLong(3, assetPk);
      ps.executeUpdate();
    }
  }

  /** Every asset of the council with its attached devices, one record per device, by reference. */
  public List<AssetRecord> records(CouncilRef council) throws SQLException {
    List<AssetRecord> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT "
                    + ASSET_COLUMNS
                    + ", d.device_id, d.expected_interval_s FROM asset a"
                    + " LEFT JOIN device d ON d.council_id = a.council_id AND d.asset_pk = a.asset_pk"
                    + " WHERE a.council_id = ? ORDER BY a.asset_ref, d.device_id")) {
      ps.setInt(1, council.id());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String deviceId = rs.getString(ASSET_COLUMN_COUNT + 1);
          out.add(
              new AssetRecord(
                  asset(rs, 1).asset(),
                  deviceId,
                  deviceId == null ? null : rs.getInt(ASSET_COLUMN_COUNT + 2)));
        }
      }
    }
    return out;
  }

  /** A page of the council's assets that match, ordered by reference. */
  public Page<StoredAsset> list(CouncilRef council, AssetFilter filter, int limit, int offset)
      throws SQLException {
    Where where = where(council, filter, "a.kind");
    try (Connection c = dataSource.getConnection()) {
      long total;
      try (PreparedStatement ps =
          c.prepareStatement("SELECT count(*) FROM asset a WHERE " + where.sql)) {
        where.bind(ps);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          total = rs.getLong(1);
        }
      }
      List<StoredAsset> items = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT "
                  + ASSET_COLUMNS
                  + " FROM asset a WHERE "
                  + where.sql
                  + " ORDER BY a.asset_ref LIMIT ? OFFSET ?")) {
        int i = where.bind(ps);
        ps.setInt(i++, limit);
        ps.setInt(i, offset);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            items.add(asset(rs, 1));
          }
        }
      }
      return new Page<>(items, total, limit, offset);
    }
  }

  /** One asset of the council by its key; empty when it does not exist in this council. */
  public Optional<StoredAsset> find(CouncilRef council, long assetId) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT "
                    + ASSET_COLUMNS
                    + " FROM asset a WHERE a.council_id = ? AND a.asset_pk = ?")) {
      ps.setInt(1, council.id());
      ps.setLong(2, assetId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(asset(rs, 1)) : Optional.empty();
      }
    }
  }

  /** A page of the council's devices that match (ward, status and bbox are their asset's). */
  public Page<DeviceInfo> devices(CouncilRef council, AssetFilter filter, int limit, int offset)
      throws SQLException {
    Where where = where(council, filter, "d.kind");
    String from =
        " FROM device d LEFT JOIN asset a ON a.council_id = d.council_id AND a.asset_pk = d.asset_pk"
            + " WHERE "
            + where.sql.replace("a.council_id = ?", "d.council_id = ?");
    try (Connection c = dataSource.getConnection()) {
      long total;
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*)" + from)) {
        where.bind(ps);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          total = rs.getLong(1);
        }
      }
      List<DeviceInfo> items = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT d.device_id, d.kind, d.asset_pk, a.asset_ref, d.attached_at,"
                  + " d.last_seen_at, d.expected_interval_s, d.registration"
                  + from
                  + " ORDER BY d.device_id LIMIT ? OFFSET ?")) {
        int i = where.bind(ps);
        ps.setInt(i++, limit);
        ps.setInt(i, offset);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            items.add(device(rs));
          }
        }
      }
      return new Page<>(items, total, limit, offset);
    }
  }

  /** The devices attached to an asset now, by device id. */
  public List<DeviceInfo> devicesOf(CouncilRef council, long assetId) throws SQLException {
    List<DeviceInfo> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT d.device_id, d.kind, d.asset_pk, a.asset_ref, d.attached_at,"
                    + " d.last_seen_at, d.expected_interval_s, d.registration"
                    + " FROM device d JOIN asset a"
                    + " ON a.council_id = d.council_id AND a.asset_pk = d.asset_pk"
                    + " WHERE d.council_id = ? AND d.asset_pk = ? ORDER BY d.device_id")) {
      ps.setInt(1, council.id());
      ps.setLong(2, assetId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(device(rs));
        }
      }
    }
    return out;
  }

  private static DeviceInfo device(ResultSet rs) throws SQLException {
    return new DeviceInfo(
        rs.getString(1),
        DeviceKind.fromCode(rs.getString(2)).orElseThrow(),
        rs.getObject(3, Long.class),
        rs.getString(4),
        instant(rs.getTimestamp(5)),
        instant(rs.getTimestamp(6)),
        rs.getInt(7),
        rs.getString(8));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  /** A WHERE clause and its parameters, the council first. */
  private record Where(String sql, List<Object> params) {
    int bind(PreparedStatement ps) throws SQLException {
      int i = 1;
      for (Object p : params) {
        if (p instanceof Integer n) {
          ps.setInt(i++, n);
        } else if (p instanceof Double d) {
          ps.setDouble(i++, d);
        } else {
          ps.setString(i++, (String) p);
        }
      }
      return i;
    }
  }

  private static Where where(CouncilRef council, AssetFilter f, String kindColumn) {
    StringBuilder sql = new StringBuilder("a.council_id = ?");
    List<Object> params = new ArrayList<>();
    params.add(council.id());
    if (f.kind() != null) {
      sql.append(" AND ").append(kindColumn).append(" = ?");
      params.add(f.kind().code());
    }
    if (f.ward() != null) {
      sql.append(" AND a.ward = ?");
      params.add(f.ward());
    }
    if (f.status() != null) {
      sql.append(" AND a.status = ?");
      params.add(f.status().code());
    }
    if (f.bbox() != null) {
      sql.append(" AND a.longitude BETWEEN ? AND ? AND a.latitude BETWEEN ? AND ?");
      params.add(f.bbox().minLon());
      params.add(f.bbox().maxLon());
      params.add(f.bbox().minLat());
      params.add(f.bbox().maxLat());
    }
    return new Where(sql.toString(), params);
  }

  private static void bindAsset(PreparedStatement ps, int councilId, Asset a) throws SQLException {
    ps.setInt(1, councilId);
    ps.setString(2, a.ref());
    ps.setString(3, a.kind().code());
    ps.setString(4, a.name());
    ps.setDouble(5, a.latitude());
    ps.setDouble(6, a.longitude());
    ps.setString(7, a.street());
    ps.setString(8, a.streetType());
    ps.setString(9, a.ward());
    ps.setString(10, a.status().code());
    ps.setObject(11, a.installedOn(), Types.DATE);
    AssetAttributes.Bin b = a.attributes() instanceof AssetAttributes.Bin x ? x : null;
    AssetAttributes.Streetlight s =
        a.attributes() instanceof AssetAttributes.Streetlight x ? x : null;
    AssetAttributes.Pavement p = a.attributes() instanceof AssetAttributes.Pavement x ? x : null;
    setInt(ps, 12, b == null ? null : b.depthMm());
    setInt(ps, 13, b == null ? null : b.capacityL());
    ps.setString(14, b == null || b.collectionDays().isEmpty() ? null : days(b.collectionDays()));
    ps.setObject(15, b == null ? null : b.collectionTime(), Types.TIME);
    ps.setString(16, s == null ? null : s.lampType());
    setDouble(ps, 17, s == null ? null : s.ratedPowerW());
    ps.setString(18, s == null ? null : s.dimmingProfile());
    setDouble(ps, 19, s == null ? null : s.mountingHeightM());
    ps.setString(20, p == null ? null : p.surface());
    ps.setString(21, p == null ? null : p.use());
    setDouble(ps, 22, p == null ? null : p.sectionLengthM());
    setDouble(ps, 23, p == null ? null : p.shade());
  }

  static StoredAsset asset(ResultSet rs, int first) throws SQLException {
    int i = first;
    long id = rs.getLong(i++);
    String ref = rs.getString(i++);
    DeviceKind kind = DeviceKind.fromCode(rs.getString(i++)).orElseThrow();
    String name = rs.getString(i++);
    double lat = rs.getDouble(i++);
    double lon = rs.getDouble(i++);
    String street = rs.getString(i++);
    String streetType = rs.getString(i++);
    String ward = rs.getString(i++);
    AssetStatus status = AssetStatus.fromCode(rs.getString(i++)).orElseThrow();
    LocalDate installedOn = rs.getObject(i++, LocalDate.class);
    Integer depth = rs.getObject(i++, Integer.class);
    Integer capacity = rs.getObject(i++, Integer.class);
    String days = rs.getString(i++);
    LocalTime time = rs.getObject(i++, LocalTime.class);
    String lampType = rs.getString(i++);
    Double power = rs.getObject(i++, Double.class);
    String dimming = rs.getString(i++);
    Double height = rs.getObject(i++, Double.class);
    String surface = rs.getString(i++);
    String use = rs.getString(i++);
    Double length = rs.getObject(i++, Double.class);
    Double shade = rs.getObject(i, Double.class);
    AssetAttributes attributes =
        switch (kind) {
          case BIN -> new AssetAttributes.Bin(depth, capacity, parseDays(days), time);
          case STREETLIGHT -> new AssetAttributes.Streetlight(lampType, power, dimming, height);
          case PAVEMENT -> new AssetAttributes.Pavement(surface, use, length, shade);
        };
    return new StoredAsset(
        id,
        new Asset(
            ref, kind, name, lat, lon, street, streetType, ward, status, installedOn, attributes));
  }

  private static String days(Set<DayOfWeek> days) {
    List<String> out = new ArrayList<>();
    for (DayOfWeek d : DayOfWeek.values()) {
      if (days.contains(d)) {
        out.add(d.name().substring(0, 3).toLowerCase(Locale.ROOT));
      }
    }
    return String.join(" ", out);
  }

  private static Set<DayOfWeek> parseDays(String text) {
    Set<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
    if (text == null) {
      return out;
    }
    for (String token : text.split(" ")) {
      for (DayOfWeek d : DayOfWeek.values()) {
        if (d.name().substring(0, 3).equalsIgnoreCase(token)) {
          out.add(d);
        }
      }
    }
    return out;
  }

  private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.INTEGER);
    } else {
      ps.setInt(i, v);
    }
  }

  private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.DOUBLE);
    } else {
      ps.setDouble(i, v);
    }
  }
}
