package io.kerbside.sim.encode;

import io.kerbside.sim.OutputFormat;
import io.kerbside.sim.model.SimReading;
import io.kerbside.sim.town.Asset;
import java.util.Locale;

/**
 * The Things Stack v3 MQTT uplinks: topic {@code v3/<application-id>@ttn/devices/<device-id>/up}
 * with one application per device kind ({@code kerbside-sim-bin}, ...), which selects the built-in
 * device profile. The reading's metrics are the {@code decoded_payload} (as a payload formatter
 * would produce them), {@code f_cnt} is its sequence number and {@code received_at} its time; the
 * uplink carries the radio metadata of one gateway. Fields whose value is 0 or false are omitted,
 * as The Things Stack does. The topic prefix does not apply: the broker of The Things Stack fixes
 * its topics.
 *
 * <p>Malformed uplinks are what a broken bridge or payload formatter hands on: cut short, a log
 * line instead of JSON, a duplicated decoded field, a decoded payload that is a string of JSON, or
 * a time written locally without an offset. Not thread-safe: it reuses a buffer.
 */
final class TtnUplinkEncoder extends JsonTextEncoder {
  static final String TENANT = "ttn";
  private static final int F_PORT = 2;

  private final StringBuilder sb = new StringBuilder(1024);

  @Override
  public OutputFormat format() {
    return OutputFormat.TTN;
  }

  @Override
  public String topic(String topicPrefix, Asset asset) {
    return "v3/"
        + LoraUplink.profileName(asset)
        + "@"
        + TENANT
        + "/devices/"
        + asset.deviceId().value()
        + "/up";
  }

  @Override
  String notJson(SimReading reading) {
    return "error: uplink " + reading.seq() + " of " + reading.asset().deviceId().value() + "\n";
  }

  @Override
  String write(SimReading r, Malformation how) {
    String deviceId = r.asset().deviceId().value();
    String app = LoraUplink.profileName(r.asset());
    String time =
        how == Malformation.BAD_TIMESTAMP
            ? LoraUplink.LOCAL_TIME.format(r.at())
            : LoraUplink.time(r.at());
    LoraUplink.Rx rx = LoraUplink.rx(r);
    sb.setLength(0);
    sb.append("{\"end_device_ids\":{\"device_id\":\"").append(deviceId);
    sb.append("\",\"application_ids\":{\"application_id\":\"").append(app);
    sb.append("\"},\"dev_eui\":\"").append(LoraUplink.devEui(deviceId).toUpperCase(Locale.ROOT));
    sb.append("\",\"dev_addr\":\"").append(LoraUplink.devAddr(deviceId).toUpperCase(Locale.ROOT));
    sb.append("\"},\"correlation_ids\":[\"as:up:")
        .append(LoraUplink.uuid(deviceId + "#" + r.seq() + "@" + r.at()));
    sb.append("\"],\"received_at\":\"").append(time);
    sb.append("\",\"uplink_message\":{\"f_port\":").append(F_PORT);
    if (r.seq() != 0) {
      sb.append(",\"f_cnt\":").append(r.seq());
    }
    sb.append(",\"frm_payload\":\"").append(LoraUplink.frmPayload(r));
    sb.append("\",\"decoded_payload\":");
    if (how == Malformation.WRONG_TYPE) {
      StringBuilder object = new StringBuilder(256).append('{');
      NativeEncoder.appendMetricFields(object, r, false);
      LoraUplink.appendQuoted(sb, object.append('}').toString());
    } else {
      sb.append('{');
      NativeEncoder.appendMetricFields(sb, r, how == Malformation.DUPLICATE_FIELD);
      sb.append('}');
    }
    sb.append(",\"rx_metadata\":[{\"gateway_ids\":{\"gateway_id\":\"").append(rx.gatewayId());
    sb.append("\",\"eui\":\"").append(rx.gatewayEui().toUpperCase(Locale.ROOT));
    sb.append("\"},\"time\":\"").append(time);
    sb.append("\",\"timestamp\":").append(rx.timestampUs());
    sb.append(",\"rssi\":").append(rx.rssiDbm());
    sb.append(",\"channel_rssi\":").append(rx.rssiDbm());
    if (rx.snrDb() != 0) {
      sb.append(",\"snr\":");
      LoraUplink.appendNumber(sb, rx.snrDb());
    }
    if (rx.channel() != 0) {
      sb.append(",\"channel_index\":").append(rx.channel());
    }
    sb.append(",\"received_at\":\"").append(time);
    sb.append("\"}],\"settings\":{\"data_rate\":{\"lora\":{\"bandwidth\":125000");
    sb.append(",\"spreading_factor\":").append(rx.spreadingFactor());
    sb.append(",\"coding_rate\":\"4/5\"}},\"frequency\":\"").append(rx.frequencyHz());
    sb.append("\",\"timestamp\":").append(rx.timestampUs());
    sb.append("},\"received_at\":\"").append(time);
    sb.append("\",\"consumed_airtime\":\"").append(airtime(rx.spreadingFactor()));
    sb.append("\",\"network_ids\":{\"net_id\":\"000013\",\"tenant_id\":\"").append(TENANT);
    sb.append("\",\"cluster_id\":\"eu1\"}}}");
    return sb.toString();
  }

  /** The time on air of a short frame at 125 kHz, as The Things Stack writes it. */
  private static String airtime(int spreadingFactor) {
    // a 20-byte frame: 0.0566 s at SF7, doubling with each step
    double seconds = 0.056576 * (1 << (spreadingFactor - 7));
    return String.format(Locale.ROOT, "%.6fs", seconds);
  }
}
