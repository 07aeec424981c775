package io.kerbside.ingest.store;

import io.kerbside.core.DeviceKind;
import io.kerbside.ingest.decode.DeviceKey;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Maps devices named by messages to their database rows, registering unknown ones when
 * auto-registration is on, and knows the depth of the bin each device is attached to (from the
 * asset registry). Keeps a bounded LRU cache whose entries are looked up again after {@code
 * refreshMs}, so a re-imported depth or a moved device takes effect; used by the single writer
 * thread only.
 */
final class DeviceDirectory {
  /**
   * A known device. {@code lastSeenWrittenMs} throttles last-seen updates; {@code sequence} follows
   * its sequence numbers (null until it sends one).
   */
  static final class Entry {
    final long pk;
    final DeviceKind kind;
    long lastSeenWrittenMs;
    SequenceState sequence;

    /** Depth in mm of the bin the device is attached to; 0 when the registry knows none. */
    int binDepthMm;

    long loadedAtMs;

    Entry(long pk, DeviceKind kind) {
      this.pk = pk;
      this.kind = kind;
    }
  }

  private final boolean autoRegister;
  private final long refreshMs;
  private final Map<DeviceKey, Entry> cache;

  DeviceDirectory(boolean autoRegister, int maxCached, long refreshMs) {
    this.autoRegister = autoRegister;
    this.refreshMs = refreshMs;
    this.cache =
        new LinkedHashMap<>(1024, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<DeviceKey, Entry> eldest) {
            return size() > maxCached;
          }
        };
  }

  /** The cached entry, or null when the device must be looked up first. */
  Entry cached(DeviceKey key) {
    return cache.get(key);
  }

  /** True when the device must be looked up (again) before its entry is used at {@code nowMs}. */
  boolean needsLoad(DeviceKey key, long nowMs) {
    Entry e = cache.get(key);
    return e == null || nowMs - e.loadedAtMs >= refreshMs;
  }

  /**
   * Looks up (and, with auto-registration, creates) the given devices in one round trip each.
   * Devices that stay unknown are absent from the cache afterwards. Runs in its own transaction so
   * that cached keys always refer to committed rows.
   */
  void load(Connection c, Set<DeviceKey> keys, long nowMs) throws SQLException {
    if (keys.isEmpty()) {
      return;
    }
    int n = keys.size();
    Integer[] councils = new Integer[n];
    String[] ids = new String[n];
    String[] kinds = new String[n];
    int i = 0;
    for (DeviceKey k : keys) {
      councils[i] = k.councilId();
      ids[i] = k.deviceId();
      kinds[i] = k.kind().code();
      i++;
    }
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(true);
    try {
      Array councilArray = c.createArrayOf("int4", councils);
      Array idArray = c.createArrayOf("text", ids);
      if (autoRegister) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO device (council_id, device_id, kind)"
                    + " SELECT * FROM unnest(?::int[], ?::text[], ?::text[])"
                    + " ORDER BY 1, 2"
                    + " ON CONFLICT (council_id, device_id) DO NOTHING")) {
          ps.setArray(1, councilArray);
          ps.setArray(2, idArray);
          ps.setArray(3, c.createArrayOf("text", kinds));
          ps.executeUpdate();
        }
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT d.device_pk, d.council_id, d.device_id, d.kind, a.bin_depth_mm"
                  + " FROM device d"
                  + " JOIN unnest(?::int[], ?::text[]) AS k(council_id, device_id)"
                  + " USING (council_id, device_id)"
                  + " LEFT JOIN asset a ON a.asset_pk = d.asset_pk")) {
        ps.setArray(1, councilArray);
        ps.setArray(2, idArray);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long pk = rs.getLong(1);
            DeviceKind kind = DeviceKind.fromCode(rs.getString(4)).orElseThrow();
            int depthMm = rs.getInt(5);
            // Cached under the kind the device is registered with; a message naming another kind
            // looks up the same row and is rejected as a kind mismatch.
            for (DeviceKind asked : DeviceKind.values()) {
              DeviceKey key = new DeviceKey(rs.getInt(2), asked, rs.getString(3));
              if (keys.contains(key)) {
                Entry e = cache.get(key);
                if (e == null || e.pk != pk) {
                  e = new Entry(pk, kind);
                  cache.put(key, e);
                }
                // a refreshed entry keeps its last-seen throttle and its sequence state
                e.binDepthMm = depthMm;
                e.loadedAtMs = nowMs;
              }
            }
          }
        }
      }
    } finally {
      c.setAutoCommit(auto);
    }
  }
}
