package io.kerbside.ingest.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kerbside.core.Metric;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Pattern;

/**
 * Decodes SenML JSON (RFC 8428): topic {@code [prefix/]<kind>/<device-id>} as for native messages
 * (identity from the topic, never from {@code bn}), payload an array of records. Names resolve as
 * {@code bn + n}, times as {@code bt + t} (relative to the receive time below 2^28 s, else seconds
 * since the epoch), values as {@code bv + v}, units as {@code u} else {@code bu}. Records with the
 * same resolved time form one reading.
 *
 * <p>When the base name of the first record starts with a prefix of a {@link DeviceProfile}'s
 * {@code senml_base_names}, that profile maps the pack: a record feeds the metric its {@code n}
 * (else its name's last segment) is mapped to, its unit, or else the profile's, converting to the
 * metric's; the profile's kind must be the topic's. Without a profile, a record feeds a metric when
 * its name's last segment (after {@code :} or {@code /}) is a metric code of the device's kind, or
 * else when its unit fits exactly one metric of that kind ({@code Cel} on a bin is {@code temp_c});
 * {@code vb} feeds the kind's only on/off metric. Everything else (strings, data, sums, ambiguous
 * units, names a profile does not map) is kept in the reading's extra JSON under {@code senml}.
 * Each record is accepted or rejected on its own, except that a pack with a newer {@code bver} or a
 * must-understand field (RFC 8428 section 4.4) is rejected whole. Thread-safe.
 */
public final class SenmlDecoder implements MessageDecoder {
  /** RFC 8428 section 4.5.3: smaller times are relative to now. */
  private static final double RELATIVE_BELOW_S = 268_435_456;

  private static final double LATEST_S = 32_503_680_000.0;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:./_-]*");
  private static final int HIGHEST_VERSION = 10;

  private final JsonInput json;
  private final DeviceProfiles profiles;

  public SenmlDecoder(DecodeLimits limits, DeviceProfiles profiles) {
    this.json = new JsonInput(limits);
    this.profiles = profiles;
  }

  private static final class Group {
    final double[] values = new double[Metric.values().length];
    ObjectNode senml;

    Group() {
      Arrays.fill(values, Double.NaN);
    }
  }

  @Override
  public DecodedMessage decode(RawMessage msg) {
    Optional<DeviceKey> device = NativeDecoder.deviceFromTopic(msg);
    if (device.isEmpty()) {
      return DecodedMessage.rejected(
          msg, RejectionReason.BAD_TOPIC, "expected .../<bin|streetlight|pavement>/<device-id>");
    }
    JsonInput.Parsed parsed = json.parse(msg);
    if (parsed.rejected() != null) {
      return parsed.rejected();
    }
    JsonNode root = parsed.tree();
    if (!root.isArray()) {
      return DecodedMessage.rejected(
          msg, RejectionReason.WRONG_TYPE, "SenML JSON must be an array of records");
    }
    if (root.isEmpty()) {
      return DecodedMessage.rejected(msg, RejectionReason.EMPTY_MESSAGE, "empty array");
    }
    Rejection unusable = unusablePack(root);
    if (unusable != null) {
      return new DecodedMessage(msg, List.of(), List.of(unusable));
    }
    String packBaseName = JsonInput.text(root.get(0), "bn");
    DeviceProfile profile = profiles.forSenml(packBaseName).orElse(null);
    if (profile != null && profile.kind() != device.get().kind()) {
      return DecodedMessage.rejected(
          msg,
          RejectionReason.KIND_MISMATCH,
          "base name '"
              + shortened(packBaseName)
              + "' selects device profile '"
              + profile.name()
              + "' of kind "
              + profile.kind().code()
              + ", but the topic is of kind "
              + device.get().kind().code());
    }
    List<Metric> kindMetrics = new ArrayList<>();
    for (Metric m : Metric.values()) {
      if (m.appliesTo(device.get().kind())) {
        kindMetrics.add(m);
      }
    }
    Base base = new Base();
    Map<Instant, Group> groups = new LinkedHashMap<>();
    List<Rejection> rejections = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      String where = "record " + i + ": ";
      Rejection problem = record(root.get(i), msg, base, profile, kindMetrics, groups);
      if (problem != null) {
        rejections.add(new Rejection(problem.reason(), where + problem.detail()));
      }
    }
    List<Reading> readings = new ArrayList<>();
    for (Map.Entry<Instant, Group> e : groups.entrySet()) {
      Rejection window = json.outsideWindow(e.getKey(), msg.receivedAt(), "");
      if (window != null) {
        rejections.add(window);
        continue;
      }
      Group g = e.getValue();
      boolean fillFromDistance = profile != null && ProfileMapper.deriveFill(profile, g.values);
      String extra = null;
      if (g.senml != null || profile != null) {
        ObjectNode wrapper = json.newObject();
        if (profile != null) {
          wrapper.put("profile", profile.name());
        }
        if (g.senml != null) {
          wrapper.set("senml", g.senml);
        }
        extra = json.write(wrapper);
      }
      readings.add(
          new Reading(device.get(), e.getKey(), Reading.NO_SEQ, g.values, extra, fillFromDistance));
    }
    return new DecodedMessage(msg, readings, rejections);
  }

  /**
   * RFC 8428 section 4.4: a pack whose version is newer than the one understood, or that has a
   * field the receiver must understand (a name ending in {@code _}), must not be used at all. Every
   * record is checked before any is read: base fields carry over to later records, so no record of
   * such a pack can be read as its sender meant it.
   *
   * @return the rejection of the whole pack, or null when it can be read
   */
  private static Rejection unusablePack(JsonNode pack) {
    for (int i = 0; i < pack.size(); i++) {
      JsonNode rec = pack.get(i);
      if (!rec.isObject()) {
        continue;
      }
      Iterator<String> names = rec.fieldNames();
      while (names.hasNext()) {
        String f = names.next();
        if (f.endsWith("_")) {
          return new Rejection(
              RejectionReason.UNSUPPORTED_VERSION,
              "record "
                  + i
                  + ": must-understand field '"
                  + shortened(f)
                  + "' is not supported, so no record of the pack is used");
        }
      }
      JsonNode bver = rec.get("bver");
      if (bver != null
          && (!bver.isIntegralNumber() || bver.asLong() < 1 || bver.asLong() > HIGHEST_VERSION)) {
        return new Rejection(
            RejectionReason.UNSUPPORTED_VERSION,
            "record "
                + i
                + ": bver "
                + shortened(bver.toString())
                + " is not a SenML version from 1 to "
                + HIGHEST_VERSION
                + ", so no record of the pack is used");
      }
    }
    return null;
  }

  /** A payload-chosen name cut to a length a dead-letter detail can carry. */
  private static String shortened(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "...";
  }

  /** Base fields carried from one record to the next (RFC 8428 section 4.1). */
  private static final class Base {
    String name = "";
    double time;
    String unit = "";
    double value;
  }

  private Rejection record(
      JsonNode rec,
      RawMessage msg,
      Base base,
      DeviceProfile profile,
      List<Metric> kindMetrics,
      Map<Instant, Group> groups) {
    if (!rec.isObject()) {
      return new Rejection(RejectionReason.WRONG_TYPE, "not an object");
    }
    Rejection baseProblem = readBase(rec, base);
    if (baseProblem != null) {
      return baseProblem;
    }
    JsonNode n = rec.get("n");
    if (n != null && !n.isTextual()) {
      return new Rejection(RejectionReason.WRONG_TYPE, "n must be a string");
    }
    String local = n == null ? "" : n.asText();
    String name = base.name + local;
    if (name.isEmpty()) {
      return new Rejection(RejectionReason.INVALID_NAME, "no name (neither bn nor n)");
    }
    if (!NAME.matcher(name).matches()) {
      return new Rejection(
          RejectionReason.INVALID_NAME,
          "name '"
              + name
              + "' must start with a letter or digit and use only A-Z a-z 0-9 : . / _ -");
    }
    JsonNode t = rec.get("t");
    if (t != null && !t.isNumber()) {
      return new Rejection(RejectionReason.WRONG_TYPE, "t must be a number");
    }
    double seconds = base.time + (t == null ? 0 : t.doubleValue());
    if (Double.isNaN(seconds)) {
      // bt and t beyond the range of a double (1e400 and -1e400) add up to no time at all; it
      // must not pass as 0 s, relative: the receive time
      return new Rejection(RejectionReason.BAD_TIMESTAMP, "bt + t is not a number");
    }
    if (seconds >= RELATIVE_BELOW_S) {
      if (seconds > LATEST_S) {
        return new Rejection(RejectionReason.BAD_TIMESTAMP, "time " + seconds + " s is not a date");
      }
    } else if (seconds < -RELATIVE_BELOW_S) {
      return new Rejection(RejectionReason.BAD_TIMESTAMP, "relative time " + seconds + " s");
    }
    Instant at = instant(seconds, msg.receivedAt());
    JsonNode u = rec.get("u");
    if (u != null && !u.isTextual()) {
      return new Rejection(RejectionReason.WRONG_TYPE, "u must be a string");
    }
    String unit = u == null ? base.unit : u.asText();

    String valueField = null;
    for (String f : List.of("v", "vb", "vs", "vd")) {
      if (rec.has(f)) {
        if (valueField != null) {
          return new Rejection(
              RejectionReason.WRONG_TYPE, "both " + valueField + " and " + f + " are given");
        }
        valueField = f;
      }
    }
    if (valueField == null && !rec.has("s")) {
      return new Rejection(
          RejectionReason.MISSING_FIELD, name + " has no value (v, vb, vs, vd or s)");
    }
    if (rec.has("s") && !rec.get("s").isNumber()) {
      return new Rejection(RejectionReason.WRONG_TYPE, name + ": s must be a number");
    }
    JsonNode raw = valueField == null ? null : rec.get(valueField);
    if ("v".equals(valueField) && !raw.isNumber()
        || "vb".equals(valueField) && !raw.isBoolean()
        || ("vs".equals(valueField) || "vd".equals(valueField)) && !raw.isTextual()) {
      return new Rejection(
          RejectionReason.WRONG_TYPE,
          name + ": " + valueField + " has the wrong type for a SenML " + valueField);
    }
    Group group = groups.get(at);
    Metric metric = null;
    double value = Double.NaN;
    String leaf =
        local.isEmpty()
            ? name.substring(Math.max(name.lastIndexOf(':'), name.lastIndexOf('/')) + 1)
            : local;
    double number = "v".equals(valueField) ? base.value + raw.doubleValue() : Double.NaN;
    if (profile != null) {
      DeviceProfile.Field field = ProfileMapper.fieldFor(profile, leaf);
      if (field != null
          && !("vs".equals(valueField) && field.notMeasured().contains(raw.asText()))) {
        metric = field.metric();
        if (metric.isFlag()) {
          if ("vb".equals(valueField)) {
            value = raw.booleanValue() ? 1 : 0;
          } else if (number == 0 || number == 1) {
            value = number;
          } else {
            return new Rejection(
                RejectionReason.WRONG_TYPE,
                name + ": " + leaf + " feeds " + metric.code() + ", which takes vb, or v 0 or 1");
          }
        } else {
          if (!"v".equals(valueField)) {
            return new Rejection(
                RejectionReason.WRONG_TYPE,
                name + ": " + leaf + " feeds " + metric.code() + ", which takes a number v");
          }
          // a bare number is in the profile's unit; a record's own unit must measure the same
          OptionalDouble converted =
              Units.convert(number, unit.isEmpty() ? field.unit() : unit, metric);
          if (converted.isEmpty()) {
            return new Rejection(
                RejectionReason.WRONG_TYPE,
                name
                    + ": unit '"
                    + unit
                    + "' does not convert to "
                    + (field.unit().isEmpty() ? metric.code() : "'" + field.unit() + "'")
                    + ", which device profile '"
                    + profile.name()
                    + "' gives "
                    + leaf);
          }
          value = converted.getAsDouble();
        }
      }
    } else if ("v".equals(valueField) || "vb".equals(valueField)) {
      Optional<Metric> named = Metric.fromCode(leaf).filter(kindMetrics::contains);
      if ("vb".equals(valueField)) {
        List<Metric> flags = kindMetrics.stream().filter(Metric::isFlag).toList();
        if (named.isPresent() && named.get().isFlag()) {
          metric = named.get();
        } else if (named.isEmpty() && flags.size() == 1) {
          metric = flags.get(0);
        }
        value = raw.booleanValue() ? 1 : 0;
      } else {
        if (named.isPresent() && named.get().isFlag()) {
          if (number != 0 && number != 1) {
            return new Rejection(
                RejectionReason.WRONG_TYPE, name + ": " + leaf + " must be vb, or v 0 or 1");
          }
          metric = named.get();
          value = number;
        } else if (named.isPresent()) {
          OptionalDouble converted = Units.convert(number, unit, named.get());
          if (converted.isEmpty()) {
            return new Rejection(
                RejectionReason.WRONG_TYPE,
                name + ": unit '" + unit + "' does not convert to " + leaf);
          }
          metric = named.get();
          value = converted.getAsDouble();
        } else {
          List<Metric> byUnit = Units.metricsMeasuredIn(unit, kindMetrics);
          if (byUnit.size() == 1) {
            metric = byUnit.get(0);
            value = Units.convert(number, unit, metric).getAsDouble();
          }
        }
      }
    }
    if (metric != null) {
      if (!metric.inRange(value)) {
        return new Rejection(
            RejectionReason.OUT_OF_RANGE,
            name
                + ": "
                + metric.code()
                + " = "
                + value
                + " outside "
                + metric.min()
                + ".."
                + metric.max());
      }
      if (group != null && !Double.isNaN(group.values[metric.ordinal()])) {
        return new Rejection(
            RejectionReason.MALFORMED_JSON,
            name + ": " + metric.code() + " is given twice for time " + at);
      }
      if (group == null) {
        group = new Group();
        groups.put(at, group);
      }
      group.values[metric.ordinal()] = value;
      return null;
    }
    if (group == null) {
      group = new Group();
      groups.put(at, group);
    }
    if (group.senml == null) {
      group.senml = json.newObject();
    }
    ObjectNode kept = group.senml.putObject(name);
    if (valueField != null) {
      if (valueField.equals("v")) {
        kept.put("v", number);
      } else {
        kept.set(valueField, raw);
      }
    }
    if (rec.has("s")) {
      kept.set("s", rec.get("s"));
    }
    if (!unit.isEmpty()) {
      kept.put("u", unit);
    }
    return null;
  }

  private static Rejection readBase(JsonNode rec, Base base) {
    JsonNode bn = rec.get("bn");
    JsonNode bt = rec.get("bt");
    JsonNode bu = rec.get("bu");
    JsonNode bv = rec.get("bv");
    if (bn != null && !bn.isTextual()
        || bu != null && !bu.isTextual()
        || bt != null && !bt.isNumber()
        || bv != null && !bv.isNumber()) {
      return new Rejection(
          RejectionReason.WRONG_TYPE, "bn and bu must be strings, bt and bv numbers");
    }
    if (bn != null) {
      base.name = bn.asText();
    }
    if (bt != null) {
      base.time = bt.doubleValue();
    }
    if (bu != null) {
      base.unit = bu.asText();
    }
    if (bv != null) {
      base.value = bv.doubleValue();
    }
    return null;
  }

  private static Instant instant(double seconds, Instant received) {
    long whole = (long) Math.floor(seconds);
    // microseconds: a double near 1.8e9 s carries no finer digits
    long nanos = Math.round((seconds - whole) * 1e6) * 1000;
    Instant offset = Instant.ofEpochSecond(whole, nanos);
    if (seconds >= RELATIVE_BELOW_S) {
      return offset;
    }
    return received.plusSeconds(whole).plusNanos(nanos);
  }
}
