package io.kerbside.sim.encode;

import io.kerbside.core.Metric;
import io.kerbside.sim.OutputFormat;
import io.kerbside.sim.model.SimReading;
import io.kerbside.sim.town.Asset;

/**
 * SenML JSON packs (RFC 8428) on the native topic {@code <prefix>/<kind>/<device-id>}: one record
 * per reported metric, the first carrying the base name {@code urn:dev:kerbside:<device-id>:} and
 * the base time (the reading's time in seconds since the epoch, to the millisecond), each named by
 * its metric code with its SenML unit; the kind's on/off metric is a {@code vb}. SenML has no frame
 * counter, so the sequence number is not sent.
 *
 * <p>Each record stands alone: a value out of its metric's range rejects only its record (see
 * {@link #rejectsValuesAlone()}). Malformed packs are cut short, a log line, a record with its
 * value twice, the pre-RFC object form {@code {"bn":...,"e":[...]}}, or (a clock in milliseconds)
 * one record whose base time is milliseconds since the epoch. Not thread-safe: it reuses a buffer.
 */
final class SenmlEncoder extends JsonTextEncoder {
  private final StringBuilder sb = new StringBuilder(512);

  @Override
  public OutputFormat format() {
    return OutputFormat.SENML;
  }

  @Override
  public String topic(String topicPrefix, Asset asset) {
    return topicPrefix + "/" + asset.kind().code() + "/" + asset.deviceId().value();
  }

  @Override
  public boolean rejectsValuesAlone() {
    return true;
  }

  @Override
  String notJson(SimReading reading) {
    return "E (" + reading.seq() + ") senml: sensor read failed\r\n";
  }

  @Override
  String write(SimReading r, Malformation how) {
    sb.setLength(0);
    String baseName = "urn:dev:kerbside:" + r.asset().deviceId().value() + ":";
    long ms = r.at().toEpochMilli();
    boolean objectForm = how == Malformation.WRONG_TYPE;
    if (objectForm) {
      // draft-jennings-senml before RFC 8428: base fields beside an "e" array of entries
      sb.append("{\"bn\":\"").append(baseName).append("\",\"bt\":");
      NativeEncoder.appendFixed(sb, ms / 1000.0, 3);
      sb.append(",\"e\":[");
    } else {
      sb.append('[');
    }
    boolean first = true;
    for (Metric m : Metric.values()) {
      double v = r.value(m);
      if (Double.isNaN(v) || !m.appliesTo(r.asset().kind())) {
        continue;
      }
      sb.append(first ? "{" : ",{");
      if (first && !objectForm) {
        sb.append("\"bn\":\"").append(baseName).append("\",\"bt\":");
        if (how == Malformation.BAD_TIMESTAMP) {
          sb.append(ms);
        } else {
          NativeEncoder.appendFixed(sb, ms / 1000.0, 3);
        }
        sb.append(',');
      }
      sb.append("\"n\":\"").append(m.code()).append('"');
      int copies = first && how == Malformation.DUPLICATE_FIELD ? 2 : 1;
      if (!m.isFlag()) {
        sb.append(",\"u\":\"").append(unit(m)).append('"');
      }
      for (int i = 0; i < copies; i++) {
        sb.append(m.isFlag() ? ",\"vb\":" : ",\"v\":");
        NativeEncoder.appendValue(sb, m, v);
      }
      sb.append('}');
      if (first && how == Malformation.BAD_TIMESTAMP) {
        break;
      }
      first = false;
    }
    return sb.append(objectForm ? "]}" : "]").toString();
  }

  /** The RFC 8428 unit symbol of {@code m}. */
  private static String unit(Metric m) {
    return switch (m) {
      case MOISTURE_PCT -> "%RH";
      case DISTANCE_MM, WATER_FILM_MM, CRACK_MM -> "mm";
      case TEMP_C, SURFACE_TEMP_C, AIR_TEMP_C -> "Cel";
      case TILT_DEG -> "deg";
      case BATTERY_V, VOLTAGE_V -> "V";
      case CURRENT_A -> "A";
      case POWER_W -> "W";
      case ENERGY_WH -> "Wh";
      case BURN_HOURS -> "h";
      case LUX -> "lx";
      case VIBRATION_G -> "g";
      default -> "%";
    };
  }
}
