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
 * auto-registration is on. Keeps a bounded LRU cache; used by the single writer thread only.
 */
final class DeviceDirectory {
  /** A known device. {@code lastSeenWrittenMs} throttles last-seen updates. */
  static final class Entry {
    final long pk;
    final DeviceKind kind;
    long lastSeenWrittenMs;

    Entry(long pk, DeviceKind kind) {
      this.pk = pk;
      this.kind = kind;
    }
  }

  private final boolean autoRegister;
  private final Map<DeviceKey, Entry> cache;

  DeviceDirectory(boolean autoRegister, int maxCached) {
    this.autoRegister = autoRegister;
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

  /**
   * Looks up (and, with auto-registration, creates) the given devices in one round trip each.
   * Devices that stay unknown are absent from the cache afterwards. Runs in its own transaction so
   * that cached keys always refer to committed rows.
   */
  void load(Connection c, Set<DeviceKey> keys) throws SQLException {
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
              "SELECT d.device_pk, d.council_id, d.device_id, d.kind FROM device d"
                  + " JOIN unnest(?::int[], ?::text[]) AS k(council_id, device_id)"
                  + " USING (council_id, device_id)")) {
        ps.setArray(1, councilArray);
        ps.setArray(2, idArray);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            DeviceKind kind = DeviceKind.fromCode(rs.getString(4)).orElseThrow();
            // Cached under the kind the device is registered with; a message naming another kind
            // looks up the same row and is rejected as a kind mismatch.
            for (DeviceKind asked : DeviceKind.values()) {
              DeviceKey key = new DeviceKey(rs.getInt(2), asked, rs.getString(3));
              if (keys.contains(key)) {
                cache.put(key, new Entry(rs.getLong(1), kind));
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
