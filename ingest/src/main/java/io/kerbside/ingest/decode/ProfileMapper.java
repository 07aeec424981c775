package io.kerbside.ingest.decode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kerbside.core.DeviceKind;
import io.kerbside.core.Metric;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/** Applies a {@link DeviceProfile} to a network server's decoded payload. Stateless. */
final class ProfileMapper {
  private ProfileMapper() {}

  /**
   * Fills {@code values} (one slot per metric, NaN where absent) from {@code decoded} and copies
   * every field the profile does not map into {@code unmapped}. A fill derived from distance is
   * {@link #deriveFill}'s work, afterwards.
   *
   * @return null when the payload fits the profile, else the rejection naming the field
   */
  static Rejection map(
      DeviceProfile profile, JsonNode decoded, double[] values, ObjectNode unmapped) {
    if (!decoded.isObject()) {
      return new Rejection(RejectionReason.WRONG_TYPE, "the decoded payload is not an object");
    }
    Iterator<Map.Entry<String, JsonNode>> it = decoded.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = e.getKey();
      JsonNode v = e.getValue();
      DeviceProfile.Field field = fieldFor(profile, name);
      if (field == null
          || v.isNull()
          || !Double.isNaN(values[field.metric().ordinal()])
          || v.isTextual() && field.notMeasured().contains(v.asText())) {
        if (!v.isNull()) {
          unmapped.set(name, v);
        }
        continue;
      }
      Metric metric = field.metric();
      double value;
      if (metric.isFlag()) {
        if (v.isBoolean()) {
          value = v.booleanValue() ? 1 : 0;
        } else if (v.isNumber() && (v.doubleValue() == 0 || v.doubleValue() == 1)) {
          value = v.doubleValue();
        } else {
          return new Rejection(
              RejectionReason.WRONG_TYPE, name + " must be true or false for " + metric.code());
        }
      } else {
        double number;
        String unit = field.unit();
        if (v.isNumber()) {
          number = v.doubleValue();
        } else if (v.isTextual()) {
          Optional<Units.Quantity> q = Units.parse(v.asText());
          if (q.isEmpty()) {
            return new Rejection(
                RejectionReason.WRONG_TYPE,
                name + " must be a number or a number with a unit for " + metric.code());
          }
          number = q.get().value();
          if (!q.get().unit().isEmpty()) {
            unit = q.get().unit();
          }
        } else {
          return new Rejection(
              RejectionReason.WRONG_TYPE, name + " must be a number for " + metric.code());
        }
        OptionalDouble converted = Units.convert(number, unit, metric);
        if (converted.isEmpty()) {
          return new Rejection(
              RejectionReason.WRONG_TYPE,
              name + " is in '" + unit + "', which does not convert to " + metric.code());
        }
        value = converted.getAsDouble();
      }
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
      values[metric.ordinal()] = value;
    }
    return null;
  }

  /** The field {@code name} maps to in {@code profile}, or null when it maps to none. */
  static DeviceProfile.Field fieldFor(DeviceProfile profile, String name) {
    DeviceProfile.Field field = profile.fields().get(name);
    if (field != null) {
      return field;
    }
    if (profile.nativeMetrics()) {
      Optional<Metric> m = Metric.fromCode(name);
      if (m.isPresent() && m.get().appliesTo(profile.kind())) {
        return new DeviceProfile.Field(m.get(), "", Set.of());
      }
    }
    return null;
  }

  /**
   * Derives {@code fill_pct} from {@code distance_mm} with the profile's bin depth when the profile
   * has one and the payload brought no fill of its own.
   *
   * @return true when the fill was derived (so a bin depth from the registry may replace it)
   */
  static boolean deriveFill(DeviceProfile profile, double[] values) {
    int distance = Metric.DISTANCE_MM.ordinal();
    int fill = Metric.FILL_PCT.ordinal();
    if (profile.kind() == DeviceKind.BIN
        && profile.binDepthMm() > 0
        && !Double.isNaN(values[distance])
        && Double.isNaN(values[fill])) {
      values[fill] = BinFill.percent(profile.binDepthMm(), values[distance]);
      return true;
    }
    return false;
  }
}
