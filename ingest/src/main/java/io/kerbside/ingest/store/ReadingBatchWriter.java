package io.kerbside.ingest.store;

import io.kerbside.core.Metric;
import io.kerbside.core.db.ReadingMaintenance;
import io.kerbside.core.db.StorageLayout;
import io.kerbside.ingest.decode.DecodedMessage;
import io.kerbside.ingest.decode.DeviceKey;
import io.kerbside.ingest.decode.PayloadFormat;
import io.kerbside.ingest.decode.RawMessage;
import io.kerbside.ingest.decode.Reading;
import io.kerbside.ingest.decode.Rejection;
import io.kerbside.ingest.decode.RejectionReason;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Writes a batch of decoded messages in one transaction: readings with {@code INSERT ... SELECT
 * FROM unnest(arrays) ON CONFLICT DO NOTHING} (one round trip, duplicates dropped by the {@code
 * (device_pk, ts)} key), last-seen times, and dead letters (without a council or format for a
 * message no subscription matched). Either all of a batch is committed or none of it is, so the
 * caller acknowledges the batch's messages only after {@link #write} returns.
 *
 * <p>Not thread-safe: one writer thread owns an instance.
 */
public final class ReadingBatchWriter implements BatchStore {
  private static final String INSERT_READINGS = insertReadingsSql();

  /** How long a device's registry facts (its bin's depth) are used before they are read again. */
  private static final long DEVICE_REFRESH_MS = TimeUnit.MINUTES.toMillis(5);

  private final DataSource dataSource;
  private final StorageLayout layout;
  private final DeviceDirectory devices;
  private final ReadingMaintenance maintenance;
  private final long lastSeenIntervalMs;
  private final int maxPayloadBytes;
  private final Clock clock;
  private final Set<LocalDate> knownPartitions = new HashSet<>();

  public ReadingBatchWriter(
      DataSource dataSource,
      StorageLayout layout,
      ReadingMaintenance maintenance,
      boolean autoRegister,
      int lastSeenIntervalSeconds,
      int maxPayloadBytes,
      Clock clock) {
    this.dataSource = dataSource;
    this.layout = layout;
    this.maintenance = maintenance;
    this.devices = new DeviceDirectory(autoRegister, 200_000, DEVICE_REFRESH_MS);
    this.lastSeenIntervalMs = TimeUnit.SECONDS.toMillis(lastSeenIntervalSeconds);
    this.maxPayloadBytes = maxPayloadBytes;
    this.clock = clock;
  }

  /**
   * Writes and commits the batch.
   *
   * @throws SQLException when nothing was committed; the batch can be retried as a whole
   */
  @Override
  public WriteResult write(List<DecodedMessage> batch) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      resolveDevices(c, batch);
      // Most messages carry one reading.
      List<Reading> accepted = new ArrayList<>(batch.size());
      // The directory entry and format of each accepted reading, at the same index: looked up
      // once here, not again by every step below.
      List<DeviceDirectory.Entry> acceptedEntries = new ArrayList<>(batch.size());
      List<PayloadFormat> acceptedFormats = new ArrayList<>(batch.size());
      List<Rejection> allRejections = new ArrayList<>();
      List<DeadLetter> deadLetters = new ArrayList<>();
      for (DecodedMessage m : batch) {
        List<Rejection> rejections = m.rejections();
        boolean deviceRejected = false;
        for (Reading r : m.readings()) {
          DeviceDirectory.Entry e = devices.cached(r.device());
          if (e == null || e.kind != r.device().kind()) {
            if (!deviceRejected) {
              rejections = new ArrayList<>(rejections);
              rejections.add(deviceRejection(r.device(), e));
              deviceRejected = true;
            }
          } else {
            accepted.add(
                r.fillFromDistance() && e.binDepthMm > 0 ? r.withBinDepth(e.binDepthMm) : r);
            acceptedEntries.add(e);
            acceptedFormats.add(m.raw().format());
          }
        }
        if (!rejections.isEmpty()) {
          allRejections.addAll(rejections);
          deadLetters.add(new DeadLetter(m, rejections));
        }
      }
      ensurePartitions(accepted);
      int inserted;
      c.setAutoCommit(false);
      try {
        inserted = insertReadings(c, accepted, acceptedEntries);
        updateLastSeen(c, accepted, acceptedEntries);
        insertDeadLetters(c, deadLetters);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
      return new WriteResult(
          inserted,
          accepted.size() - inserted,
          allRejections,
          clock.instant(),
          accepted,
          followSequences(accepted, acceptedEntries, acceptedFormats));
    }
  }

  /**
   * True when the database refused the data itself (SQLSTATE class 22 or 23), not the connection.
   */
  @Override
  public boolean isContentError(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("22") || state.startsWith("23"));
  }

  /**
   * Writes each message in its own transaction; a message the database refuses for its content is
   * dead-lettered with reason {@code store_rejected} instead.
   */
  @Override
  public WriteResult writeOneByOne(List<DecodedMessage> batch) throws SQLException {
    int stored = 0;
    int duplicates = 0;
    List<Rejection> rejections = new ArrayList<>();
    List<Reading> written = new ArrayList<>();
    SequenceTally sequences = new SequenceTally();
    for (DecodedMessage m : batch) {
      try {
        WriteResult r = write(List.of(m));
        stored += r.stored();
        duplicates += r.duplicates();
        rejections.addAll(r.rejections());
        written.addAll(r.storedReadings());
        sequences.addAll(r.sequences());
      } catch (SQLException e) {
        if (!isContentError(e)) {
          throw e;
        }
        Rejection refused =
            new Rejection(RejectionReason.STORE_REJECTED, "database refused: " + e.getMessage());
        DecodedMessage asRejected = new DecodedMessage(m.raw(), List.of(), List.of(refused));
        WriteResult r = write(List.of(asRejected));
        rejections.addAll(r.rejections());
      }
    }
    return new WriteResult(stored, duplicates, rejections, clock.instant(), written, sequences);
  }

  private void resolveDevices(Connection c, List<DecodedMessage> batch) throws SQLException {
    long nowMs = clock.millis();
    Set<DeviceKey> missing = new HashSet<>();
    for (DecodedMessage m : batch) {
      for (Reading r : m.readings()) {
        if (devices.needsLoad(r.device(), nowMs)) {
          missing.add(r.device());
        }
      }
    }
    devices.load(c, missing, nowMs);
  }

  /**
   * Follows the sequence numbers of committed readings in arrival order (a duplicate changes
   * nothing: its number was seen). Runs only after a commit, so a retried batch is counted once.
   */
  private static SequenceTally followSequences(
      List<Reading> readings, List<DeviceDirectory.Entry> entries, List<PayloadFormat> formats) {
    SequenceTally tally = new SequenceTally();
    for (int i = 0; i < readings.size(); i++) {
      Reading r = readings.get(i);
      if (r.seq() == Reading.NO_SEQ) {
        continue;
      }
      DeviceDirectory.Entry e = entries.get(i);
      if (e.sequence == null) {
        e.sequence = new SequenceState();
      }
      long before = e.sequence.last();
      SequenceState.Change change = e.sequence.observe(r.seq(), micros(r.at()));
      tally.add(formats.get(i), e.kind, change, r.seq() - before - 1);
    }
    return tally;
  }

  private static Rejection deviceRejection(DeviceKey key, DeviceDirectory.Entry entry) {
    if (entry == null) {
      return new Rejection(
          RejectionReason.UNKNOWN_DEVICE,
          key.kind().code()
              + " device "
              + key.deviceId()
              + " is not registered"
              + " and auto-registration is off");
    }
    return new Rejection(
        RejectionReason.KIND_MISMATCH,
        "device "
            + key.deviceId()
            + " is registered as "
            + entry.kind.code()
            + ", topic says "
            + key.kind().code());
  }

  private void ensurePartitions(List<Reading> readings) throws SQLException {
    if (layout != StorageLayout.POSTGRES_PARTITIONS) {
      return;
    }
    LocalDate min = null;
    LocalDate max = null;
    for (Reading r : readings) {
      LocalDate day = LocalDate.ofInstant(r.at(), ZoneOffset.UTC);
      if (!knownPartitions.contains(day)) {
        min = min == null || day.isBefore(min) ? day : min;
        max = max == null || day.isAfter(max) ? day : max;
      }
    }
    if (min != null) {
      maintenance.ensurePartitions(min, max);
      if (knownPartitions.size() > 10_000) {
        knownPartitions.clear();
      }
      for (LocalDate d = min; !d.isAfter(max); d = d.plusDays(1)) {
        knownPartitions.add(d);
      }
    }
  }

  private int insertReadings(
      Connection c, List<Reading> readings, List<DeviceDirectory.Entry> entries)
      throws SQLException {
    if (readings.isEmpty()) {
      return 0;
    }
    int n = readings.size();
    int[] councils = new int[n];
    long[] pks = new long[n];
    long[] ts = new long[n];
    long[] received = new long[n];
    long[] seqs = new long[n];
    double[][] metrics = new double[Metric.values().length][n];
    String[] extras = new String[n];
    long now = micros(clock.instant());
    for (int i = 0; i < n; i++) {
      Reading r = readings.get(i);
      councils[i] = r.device().councilId();
      pks[i] = entries.get(i).pk;
      ts[i] = micros(r.at());
      received[i] = now;
      seqs[i] = r.seq();
      for (int m = 0; m < metrics.length; m++) {
        metrics[m][i] = r.values()[m];
      }
      extras[i] = r.extraJson();
    }
    try (PreparedStatement ps = c.prepareStatement(INSERT_READINGS)) {
      int p = 1;
      ps.setObject(p++, councils);
      ps.setObject(p++, pks);
      ps.setObject(p++, ts);
      ps.setObject(p++, received);
      ps.setObject(p++, seqs);
      for (double[] column : metrics) {
        ps.setObject(p++, column);
      }
      ps.setArray(p, c.createArrayOf("text", extras));
      return ps.executeUpdate();
    }
  }

  private void updateLastSeen(
      Connection c, List<Reading> readings, List<DeviceDirectory.Entry> entries)
      throws SQLException {
    long nowMs = clock.millis();
    TreeMap<Long, Instant> latest = new TreeMap<>();
    for (int i = 0; i < readings.size(); i++) {
      DeviceDirectory.Entry e = entries.get(i);
      if (nowMs - e.lastSeenWrittenMs >= lastSeenIntervalMs) {
        latest.merge(e.pk, readings.get(i).at(), (a, b) -> a.isAfter(b) ? a : b);
      }
    }
    if (latest.isEmpty()) {
      return;
    }
    long[] pks = new long[latest.size()];
    long[] ts = new long[latest.size()];
    int i = 0;
    for (var e : latest.entrySet()) {
      pks[i] = e.getKey();
      ts[i] = micros(e.getValue());
      i++;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE device d SET last_seen_at = u.at"
                + " FROM (SELECT pk, 'epoch'::timestamptz + t * interval '1 microsecond' AS at"
                + "       FROM unnest(?::bigint[], ?::bigint[]) AS x(pk, t)) u"
                + " WHERE d.device_pk = u.pk"
                + " AND (d.last_seen_at IS NULL OR d.last_seen_at < u.at)")) {
      ps.setObject(1, pks);
      ps.setObject(2, ts);
      ps.executeUpdate();
    }
    for (DeviceDirectory.Entry e : entries) {
      if (latest.containsKey(e.pk)) {
        e.lastSeenWrittenMs = nowMs;
      }
    }
  }

  private void insertDeadLetters(Connection c, List<DeadLetter> deadLetters) throws SQLException {
    if (deadLetters.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO dead_letter"
                + " (council_id, received_at, topic, format, reason, detail, payload, payload_size)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (DeadLetter d : deadLetters) {
        byte[] payload = d.message.raw().payload();
        byte[] stored =
            payload.length > maxPayloadBytes
                ? java.util.Arrays.copyOf(payload, maxPayloadBytes)
                : payload;
        RawMessage raw = d.message.raw();
        ps.setObject(1, raw.routed() ? raw.council().id() : null, Types.INTEGER);
        ps.setObject(2, java.time.OffsetDateTime.ofInstant(raw.receivedAt(), ZoneOffset.UTC));
        ps.setString(3, raw.topic());
        ps.setString(4, raw.routed() ? raw.format().code() : null);
        ps.setString(5, d.rejections.get(0).reason().code());
        ps.setString(6, detail(d.rejections));
        ps.setBytes(7, stored);
        ps.setInt(8, payload.length);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static String detail(List<Rejection> rejections) {
    StringBuilder sb = new StringBuilder();
    for (Rejection r : rejections) {
      if (sb.length() > 0) {
        sb.append("; ");
      }
      if (sb.length() > 2000) {
        sb.append("...");
        break;
      }
      if (rejections.size() > 1) {
        sb.append(r.reason().code()).append(": ");
      }
      sb.append(r.detail());
    }
    return sb.toString();
  }

  private static long micros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  private static String insertReadingsSql() {
    StringBuilder cols = new StringBuilder("council_id, device_pk, ts, received_at, seq");
    StringBuilder select =
        new StringBuilder(
            "c, d, 'epoch'::timestamptz + t * interval '1 microsecond',"
                + " 'epoch'::timestamptz + r * interval '1 microsecond', nullif(s, -1)");
    StringBuilder unnest =
        new StringBuilder("?::int[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[]");
    StringBuilder alias = new StringBuilder("c, d, t, r, s");
    for (Metric m : Metric.values()) {
      cols.append(", ").append(m.code());
      String v = "m" + m.ordinal();
      select
          .append(", ")
          .append(m.isFlag() ? "(nullif(" + v + ", 'NaN') <> 0)" : "nullif(" + v + ", 'NaN')");
      unnest.append(", ?::float8[]");
      alias.append(", ").append(v);
    }
    cols.append(", extra");
    select.append(", x::jsonb");
    unnest.append(", ?::text[]");
    alias.append(", x");
    return "INSERT INTO reading ("
        + cols
        + ") SELECT "
        + select
        + " FROM unnest("
        + unnest
        + ") AS u("
        + alias
        + ") ON CONFLICT DO NOTHING";
  }

  private record DeadLetter(DecodedMessage message, List<Rejection> rejections) {}
}
