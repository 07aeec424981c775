package io.kerbside.registry.parse;

import io.kerbside.core.DeviceId;
import io.kerbside.core.DeviceKind;
import io.kerbside.registry.Asset;
import io.kerbside.registry.AssetAttributes;
import io.kerbside.registry.AssetRecord;
import io.kerbside.registry.AssetStatus;
import io.kerbside.registry.ImportReport.Rejection;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns one record's raw fields into an {@link AssetRecord}, or into a rejection that names every
 * field that is wrong. Blank fields count as absent. Stateless and thread-safe.
 */
final class AssetValidator {
  private static final Pattern REF = Pattern.compile("[^\\p{Cntrl}]{1,128}");
  private static final Set<String> LAMP_TYPES = Set.of("led", "son", "sox", "cmh", "mh", "cfl");
  private static final Set<String> DIMMING = Set.of("none", "part-night", "trimmed", "adaptive");
  private static final Set<String> SURFACES =
      Set.of("asphalt", "concrete", "block-paving", "flagstone", "resin-bound", "gravel");
  private static final Set<String> PAVEMENT_USES = Set.of("footway", "carriageway");
  private static final Set<String> BIN_FIELDS =
      Set.of("bin_depth_mm", "bin_capacity_l", "collection_days", "collection_time");
  private static final Set<String> STREETLIGHT_FIELDS =
      Set.of("lamp_type", "rated_power_w", "dimming_profile", "mounting_height_m");
  private static final Set<String> PAVEMENT_FIELDS =
      Set.of("surface", "section_length_m", "shade", "pavement_use");

  private AssetValidator() {}

  /** Either {@code record} or {@code rejection} is set. */
  record Outcome(AssetRecord record, Rejection rejection) {}

  static Outcome validate(String position, Map<String, String> raw) {
    Fields f = new Fields(raw);
    String ref = f.text("asset_ref");
    if (ref == null) {
      f.problem("asset_ref is missing");
    } else if (!REF.matcher(ref).matches()) {
      f.problem("asset_ref must be 1 to 128 characters without control characters");
    }
    String kindCode = f.text("kind");
    DeviceKind kind = null;
    if (kindCode == null) {
      f.problem("kind is missing");
    } else {
      kind = DeviceKind.fromCode(kindCode.toLowerCase(Locale.ROOT)).orElse(null);
      if (kind == null) {
        f.problem("kind must be bin, streetlight or pavement, got '" + kindCode + "'");
      }
    }
    Double lat = f.number("latitude", -90, 90, true);
    Double lon = f.number("longitude", -180, 180, true);
    String deviceId = f.text("device_id");
    if (deviceId != null && !DeviceId.isValid(deviceId)) {
      f.problem("device_id must be 1 to 64 of A-Z a-z 0-9 _ . -, got '" + deviceId + "'");
    }
    Double interval = f.number("expected_interval_s", 1, 86_400 * 7, false);
    if (interval != null && interval != Math.rint(interval)) {
      f.problem("expected_interval_s must be a whole number of seconds");
    }
    AssetStatus status = AssetStatus.ACTIVE;
    String statusCode = f.text("status");
    if (statusCode != null) {
      status = AssetStatus.fromCode(statusCode.toLowerCase(Locale.ROOT)).orElse(null);
      if (status == null) {
        f.problem("status must be planned, active, faulty or removed, got '" + statusCode + "'");
      }
    }
    LocalDate installedOn = null;
    String installed = f.text("installed_on");
    if (installed != null) {
      try {
        installedOn = LocalDate.parse(installed);
      } catch (DateTimeParseException e) {
        f.problem("installed_on must be a date like 2021-04-30, got '" + installed + "'");
      }
    }
    AssetAttributes attributes = kind == null ? null : attributes(kind, f);
    if (!f.problems.isEmpty()) {
      return new Outcome(null, new Rejection(position, ref, String.join("; ", f.problems)));
    }
    Asset asset =
        new Asset(
            ref,
            kind,
            f.text("name"),
            lat,
            lon,
            f.text("street"),
            f.text("street_type"),
            f.text("ward"),
            status,
            installedOn,
            attributes);
    return new Outcome(
        new AssetRecord(asset, deviceId, interval == null ? null : interval.intValue()), null);
  }

  private static AssetAttributes attributes(DeviceKind kind, Fields f) {
    for (Map.Entry<DeviceKind, Set<String>> other :
        Map.of(
                DeviceKind.BIN, BIN_FIELDS,
                DeviceKind.STREETLIGHT, STREETLIGHT_FIELDS,
                DeviceKind.PAVEMENT, PAVEMENT_FIELDS)
            .entrySet()) {
      if (other.getKey() == kind) {
        continue;
      }
      for (String field : other.getValue().stream().sorted().toList()) {
        if (f.text(field) != null) {
          f.problem(field + " is for a " + other.getKey().code() + ", not a " + kind.code());
        }
      }
    }
    return switch (kind) {
      case BIN -> {
        Double depth = f.number("bin_depth_mm", 1, 10_000, false);
        Double capacity = f.number("bin_capacity_l", 1, 100_000, false);
        yield new AssetAttributes.Bin(
            depth == null ? null : (int) Math.round(depth),
            capacity == null ? null : (int) Math.round(capacity),
            f.days("collection_days"),
            f.time("collection_time"));
      }
      case STREETLIGHT ->
          new AssetAttributes.Streetlight(
              f.oneOf("lamp_type", LAMP_TYPES),
              f.number("rated_power_w", 0.1, 5_000, false),
              f.oneOf("dimming_profile", DIMMING),
              f.number("mounting_height_m", 0.1, 50, false));
      case PAVEMENT ->
          new AssetAttributes.Pavement(
              f.oneOf("surface", SURFACES),
              f.oneOf("pavement_use", PAVEMENT_USES),
              f.number("section_length_m", 0.1, 10_000, false),
              f.number("shade", 0, 1, false));
    };
  }

  /** Reads fields and collects what is wrong with them. */
  private static final class Fields {
    private final Map<String, String> raw;
    private final List<String> problems = new ArrayList<>();

    Fields(Map<String, String> raw) {
      this.raw = raw;
    }

    void problem(String p) {
      problems.add(p);
    }

    String text(String field) {
      String v = raw.get(field);
      if (v == null) {
        return null;
      }
      v = v.strip();
      return v.isEmpty() ? null : v;
    }

    Double number(String field, double min, double max, boolean required) {
      String v = text(field);
      if (v == null) {
        if (required) {
          problem(field + " is missing");
        }
        return null;
      }
      double d;
      try {
        d = Double.parseDouble(v);
      } catch (NumberFormatException e) {
        problem(field + " must be a number, got '" + v + "'");
        return null;
      }
      if (!(d >= min && d <= max)) {
        problem(field + " must be between " + plain(min) + " and " + plain(max) + ", got " + v);
        return null;
      }
      return d;
    }

    String oneOf(String field, Set<String> allowed) {
      String v = text(field);
      if (v == null) {
        return null;
      }
      String code = v.toLowerCase(Locale.ROOT);
      if (!allowed.contains(code)) {
        problem(
            field
                + " must be one of "
                + String.join(", ", allowed.stream().sorted().toList())
                + ", got '"
                + v
                + "'");
        return null;
      }
      return code;
    }

    Set<DayOfWeek> days(String field) {
      String v = text(field);
      Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
      if (v == null) {
        return days;
      }
      for (String token : v.toLowerCase(Locale.ROOT).split("[\\s,;]+")) {
        DayOfWeek day = null;
        for (DayOfWeek d : DayOfWeek.values()) {
          if (d.name().substring(0, 3).equalsIgnoreCase(token)) {
            day = d;
          }
        }
        if (day == null) {
          problem(field + " must be days like 'mon wed fri', got '" + v + "'");
          return days;
        }
        days.add(day);
      }
      return days;
    }

    LocalTime time(String field) {
      String v = text(field);
      if (v == null) {
        return null;
      }
      try {
        return LocalTime.parse(v);
      } catch (DateTimeParseException e) {
        problem(field + " must be a time like 06:45, got '" + v + "'");
        return null;
      }
    }

    private static String plain(double d) {
      return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
  }
}
