package io.kerbside.sim.encode;

import io.kerbside.sim.OutputFormat;
import io.kerbside.sim.model.SimReading;
import io.kerbside.sim.town.Asset;

/**
 * ChirpStack v4 up events: topic {@code application/<application-id>/device/<dev-eui>/event/up},
 * one application for the whole simulated town and the device profile named after the kind ({@code
 * kerbside-sim-bin}, ...), which selects the built-in profile. The DevEUI is derived from the
 * device id ({@link Encoders#devEui}). The reading's metrics are the {@code object} (as a codec
 * would produce them), {@code fCnt} is its sequence number and {@code time} its time; the event
 * carries the radio metadata of one gateway. Fields whose value is 0 or false are omitted, as
 * ChirpStack's JSON marshaller does. The topic prefix does not apply: ChirpStack fixes its topics.
 *
 * <p>Malformed events are what a broken bridge or codec hands on: cut short, a log line instead of
 * JSON, a duplicated object field, an object that is a string of JSON, or a time written locally
 * without an offset. Not thread-safe: it reuses a buffer.
 */
final class ChirpStackEncoder extends JsonTextEncoder {
  static final String APPLICATION_NAME = "kerbside-sim";
  static final String APPLICATION_ID =
      LoraUplink.uuid("application:" + APPLICATION_NAME).toString();
  private static final String TENANT_ID = LoraUplink.uuid("tenant:kerbside").toString();
  private static final int F_PORT = 2;

  private final StringBuilder sb = new StringBuilder(1024);

  @Override
  public OutputFormat format() {
    return OutputFormat.CHIRPSTACK;
  }

  @Override
  public String topic(String topicPrefix, Asset asset) {
    return "application/"
        + APPLICATION_ID
        + "/device/"
        + LoraUplink.devEui(asset.deviceId().value())
        + "/event/up";
  }

  @Override
  String notJson(SimReading reading) {
    return "level=error msg=\"decode uplink\" f_cnt=" + reading.seq() + "\n";
  }

  @Override
  String write(SimReading r, Malformation how) {
    String deviceId = r.asset().deviceId().value();
    String profile = LoraUplink.profileName(r.asset());
    String time =
        how == Malformation.BAD_TIMESTAMP
            ? LoraUplink.LOCAL_TIME.format(r.at())
            : LoraUplink.time(r.at());
    LoraUplink.Rx rx = LoraUplink.rx(r);
    sb.setLength(0);
    sb.append("{\"deduplicationId\":\"")
        .append(LoraUplink.uuid(deviceId + "#" + r.seq() + "@" + r.at()));
    sb.append("\",\"time\":\"").append(time);
    sb.append("\",\"deviceInfo\":{\"tenantId\":\"").append(TENANT_ID);
    sb.append("\",\"tenantName\":\"Kerbside\",\"applicationId\":\"").append(APPLICATION_ID);
    sb.append("\",\"applicationName\":\"").append(APPLICATION_NAME);
    sb.append("\",\"deviceProfileId\":\"").append(LoraUplink.uuid("device-profile:" + profile));
    sb.append("\",\"deviceProfileName\":\"").append(profile);
    sb.append("\",\"deviceName\":\"").append(deviceId);
    sb.append("\",\"devEui\":\"").append(LoraUplink.devEui(deviceId));
    sb.append("\",\"deviceClassEnabled\":\"CLASS_A\",\"tags\":{\"asset_ref\":");
    LoraUplink.appendQuoted(sb, r.asset().assetRef());
    sb.append("}},\"devAddr\":\"").append(LoraUplink.devAddr(deviceId));
    sb.append("\",\"adr\":true,\"dr\":").append(12 - rx.spreadingFactor());
    if (r.seq() != 0) {
      sb.append(",\"fCnt\":").append(r.seq());
    }
    sb.append(",\"fPort\":").append(F_PORT);
    sb.append(",\"data\":\"").append(LoraUplink.frmPayload(r));
    sb.append("\",\"object\":");
    if (how == Malformation.WRONG_TYPE) {
      StringBuilder object = new StringBuilder(256).append('{');
      NativeEncoder.appendMetricFields(object, r, false);
      LoraUplink.appendQuoted(sb, object.append('}').toString());
    } else {
      sb.append('{');
      NativeEncoder.appendMetricFields(sb, r, how == Malformation.DUPLICATE_FIELD);
      sb.append('}');
    }
    sb.append(",\"rxInfo\":[{\"gatewayId\":\"").append(rx.gatewayEui());
    sb.append("\",\"uplinkId\":").append(LoraUplink.hash(deviceId + "#" + r.seq()) & 0xffff);
    sb.append(",\"gwTime\":\"").append(time);
    sb.append("\",\"rssi\":").append(rx.rssiDbm());
    if (rx.snrDb() != 0) {
      sb.append(",\"snr\":");
      LoraUplink.appendNumber(sb, rx.snrDb());
    }
    if (rx.channel() != 0) {
      sb.append(",\"channel\":").append(rx.channel());
    }
    sb.append(",\"context\":\"").append(LoraUplink.frmPayload(r));
    sb.append("\",\"crcStatus\":\"CRC_OK\"}],\"txInfo\":{\"frequency\":").append(rx.frequencyHz());
    sb.append(",\"modulation\":{\"lora\":{\"bandwidth\":125000,\"spreadingFactor\":")
        .append(rx.spreadingFactor());
    sb.append(",\"codeRate\":\"CR_4_5\"}}}}");
    return sb.toString();
  }
}
